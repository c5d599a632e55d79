package facefarm.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobLimitsTest {
    private final JobLimits limits = new JobLimits(1_000, 10);

    @Test
    void aJobWithinTheLimitsFitsUpToTheEdge() {
        assertNull(limits.problem(1_000, 100));
        assertNull(limits.problem(100, 10));
    }

    @Test
    void tooManyFramesIsNamedWithTheSetting() {
        assertTrue(limits.problem(1_001, 1_000).contains("1001 frames, above the farm's limit of 1000 (farm.limits.max-frames)"));
    }

    @Test
    void tooManyChunksSaysWhichChunkSizeFits() {
        assertEquals("chunks of 8 frames make 16 chunks, above the farm's limit of 10 (farm.limits.max-chunks): use chunkFrames of at least 13",
                limits.problem(125, 8));
        assertNull(limits.problem(125, 13));
    }
}
