package facefarm.common.planning;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a video of N decoded frames into chunks of at most {@code chunkFrames} owned frames. Each chunk decodes
 * {@code warmup} frames before and {@code lookahead} frames after what it owns (clipped to the video), so temporal
 * state at its first and last owned frames equals the state of a one-pass render.
 */
public final class ChunkPlanner {
    private ChunkPlanner() {
    }

    public static List<ChunkPlan> plan(long totalFrames, int chunkFrames, int warmup, int lookahead, List<Keyframe> keyframes) {
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("the video has no frames to plan");
        }
        if (chunkFrames <= 0) {
            throw new IllegalArgumentException("chunk size must be at least 1 frame, got " + chunkFrames);
        }
        if (warmup < 0 || lookahead < 0) {
            throw new IllegalArgumentException("warm-up and look-ahead must not be negative");
        }
        List<ChunkPlan> chunks = new ArrayList<>();
        int index = 0;
        for (long start = 0; start < totalFrames; start += chunkFrames) {
            long end = Math.min(totalFrames, start + chunkFrames);
            FrameRange owned = new FrameRange(start, end);
            FrameRange decoded = new FrameRange(Math.max(0, start - warmup), Math.min(totalFrames, end + lookahead));
            chunks.add(new ChunkPlan(index++, owned, decoded, seekFor(decoded.start(), keyframes)));
        }
        return chunks;
    }

    /**
     * The last keyframe at or before {@code frame}; the first frame when the index knows none. The index is in frame
     * order, so this is a binary search: an intra-only master has a keyframe per frame.
     */
    public static Keyframe seekFor(long frame, List<Keyframe> keyframes) {
        int low = 0;
        int high = keyframes.size() - 1;
        Keyframe best = Keyframe.FIRST;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Keyframe keyframe = keyframes.get(mid);
            if (keyframe.index() <= frame) {
                best = keyframe.index() >= best.index() ? keyframe : best;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best;
    }
}
