package facefarm.common.planning;

/**
 * A keyframe found at ingest: its decoded frame index and the timestamp the decoder reported for it.
 * Workers seek to the timestamp, check that the first decoded frame carries it, and count frames from there.
 */
public record Keyframe(long index, long timestampMicros) {
    public static final Keyframe FIRST = new Keyframe(0, Long.MIN_VALUE);

    public boolean isStart() {
        return index == 0;
    }
}
