package facefarm.common.provenance;

/**
 * What every owned frame gets after the processors, in this order, the same in every chunk of a job: scaled down to
 * at most {@code maxHeight} lines ({@code 0}: kept as it is), the visible {@code label} drawn (null: none), the
 * invisible {@code watermark} written (null: none). The farm's policy (farm.provenance.*) and the job's options
 * decide each.
 */
public record FrameFinish(int maxHeight, VisibleLabel label, WatermarkPayload watermark) {
    public static final FrameFinish NONE = new FrameFinish(0, null, null);

    public FrameFinish {
        if (maxHeight < 0) {
            throw new IllegalArgumentException("maxHeight is a number of lines, or 0 for none, not " + maxHeight);
        }
    }

    /** The delivered size of a {@code width} x {@code height} video: no taller than the cap, the aspect kept, both even (for 4:2:0). */
    public int[] outputSize(int width, int height) {
        if (maxHeight == 0 || height <= maxHeight) {
            return new int[] {width, height};
        }
        int scaledHeight = maxHeight / 2 * 2;
        int scaledWidth = Math.max(2, (int) Math.round((double) width * scaledHeight / height / 2) * 2);
        return new int[] {scaledWidth, scaledHeight};
    }
}
