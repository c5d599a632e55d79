package facefarm.worker.provenance;

/**
 * Which part of the marked frame a copy shows, in the LL band's samples: {@code keptX} and {@code keptY} are the
 * fractions of the width and height kept, {@code left} and {@code top} where the kept part starts. A copy that was
 * only re-encoded or scaled shows all of it ({@link #WHOLE}).
 */
public record Framing(double keptX, double keptY, int left, int top) {
    public static final Framing WHOLE = new Framing(1, 1, 0, 0);

    public boolean whole() {
        return equals(WHOLE);
    }
}
