package facefarm.common.planning;

/**
 * One chunk: the frames it owns (and emits), the frames it decodes (owned plus warm-up and look-ahead context),
 * and the keyframe it starts decoding from.
 */
public record ChunkPlan(int index, FrameRange owned, FrameRange decoded, Keyframe seek) {
    public ChunkPlan {
        if (decoded.start() > owned.start() || decoded.end() < owned.end()) {
            throw new IllegalArgumentException("decoded range " + decoded + " must cover owned range " + owned);
        }
        if (seek.index() > decoded.start()) {
            throw new IllegalArgumentException("seek keyframe " + seek.index() + " is after the first decoded frame");
        }
    }
}
