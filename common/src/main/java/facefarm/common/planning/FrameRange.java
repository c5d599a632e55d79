package facefarm.common.planning;

/** Half-open range of decoded frame indices [start, end). */
public record FrameRange(long start, long end) {
    public FrameRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid frame range [" + start + ", " + end + ")");
        }
    }

    public long length() {
        return end - start;
    }

    public boolean contains(long frame) {
        return frame >= start && frame < end;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
