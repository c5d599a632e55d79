package facefarm.common.planning;

/**
 * Frames of context a stage reads around the frame it works on: {@code past} before it and {@code future} after it.
 * Stages run one after the other, so the overlaps of a pipeline add up.
 */
public record Overlap(int past, int future) {
    public static final Overlap NONE = new Overlap(0, 0);

    public Overlap {
        if (past < 0 || future < 0) {
            throw new IllegalArgumentException("overlap must not be negative, got " + past + " past and " + future + " future frames");
        }
    }

    public Overlap plus(Overlap other) {
        return new Overlap(past + other.past, future + other.future);
    }
}
