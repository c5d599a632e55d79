package facefarm.common.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What GET /api/v1/jobs/{id} and the progress stream return. {@code failure} says which check failed and whether the
 * studio can fix it; {@code bytesRead} is what the workers read of the target, in byte ranges.
 */
public record JobStatus(
        String id,
        JobState state,
        long framesTotal,
        long framesDone,
        String frameRate,
        int width,
        int height,
        boolean hasAudio,
        int chunksTotal,
        Map<ChunkState, Integer> chunks,
        double framesPerSecond,
        Double etaSeconds,
        StageTimings timings,
        List<String> processors,
        AnalysisOptions analysis,
        ProcessorOptions processorOptions,
        List<ModelUse> models,
        String error,
        Failure failure,
        long bytesRead,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {
}
