package facefarm.common.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

    @Test
    void videoShorterThanOneChunkIsOneChunk() {
        List<ChunkPlan> chunks = ChunkPlanner.plan(10, 16, 0, 0, List.of());
        assertEquals(1, chunks.size());
        assertEquals(new FrameRange(0, 10), chunks.get(0).owned());
        assertEquals(new FrameRange(0, 10), chunks.get(0).decoded());
    }

    @Test
    void lastChunkIsShortAndOwnedRangesTileTheVideo() {
        List<ChunkPlan> chunks = ChunkPlanner.plan(125, 16, 0, 0, List.of());
        assertEquals(8, chunks.size());
        assertEquals(new FrameRange(112, 125), chunks.get(7).owned());
        long next = 0;
        for (ChunkPlan chunk : chunks) {
            assertEquals(next, chunk.owned().start(), "owned ranges must be contiguous");
            next = chunk.owned().end();
        }
        assertEquals(125, next);
    }

    @Test
    void overlapIsClippedAtStartAndEnd() {
        List<ChunkPlan> chunks = ChunkPlanner.plan(50, 20, 3, 5, List.of());
        assertEquals(new FrameRange(0, 25), chunks.get(0).decoded(), "no warm-up before frame 0");
        assertEquals(new FrameRange(17, 45), chunks.get(1).decoded());
        assertEquals(new FrameRange(37, 50), chunks.get(2).decoded(), "no look-ahead past the last frame");
        assertEquals(new FrameRange(40, 50), chunks.get(2).owned());
    }

    @Test
    void singleFrameVideo() {
        List<ChunkPlan> chunks = ChunkPlanner.plan(1, 16, 4, 4, List.of());
        assertEquals(1, chunks.size());
        assertEquals(new FrameRange(0, 1), chunks.get(0).owned());
        assertEquals(new FrameRange(0, 1), chunks.get(0).decoded());
    }

    @Test
    void chunksSeekToTheLastKeyframeAtOrBeforeTheirFirstDecodedFrame() {
        List<Keyframe> keyframes = List.of(new Keyframe(0, 0), new Keyframe(30, 1_000_000), new Keyframe(60, 2_000_000));
        List<ChunkPlan> chunks = ChunkPlanner.plan(90, 30, 2, 0, keyframes);
        assertEquals(0, chunks.get(0).seek().index());
        assertEquals(0, chunks.get(1).seek().index(), "chunk 1 decodes from 28, before keyframe 30");
        assertEquals(30, chunks.get(2).seek().index());
        assertEquals(1_000_000, chunks.get(2).seek().timestampMicros());
    }

    @Test
    void rejectsZeroChunkSizeAndEmptyVideo() {
        assertThrows(IllegalArgumentException.class, () -> ChunkPlanner.plan(10, 0, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> ChunkPlanner.plan(0, 16, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> ChunkPlanner.plan(10, 4, -1, 0, List.of()));
    }
}
