package facefarm.coordinator.jobs;

import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.StageTimings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as stored. */
public record JobRow(
        UUID id,
        JobState state,
        String targetName,
        String targetKey,
        List<String> sourceKeys,
        List<String> processors,
        String outputFormat,
        long framesTotal,
        int fpsNumerator,
        int fpsDenominator,
        int width,
        int height,
        String videoCodec,
        boolean hasAudio,
        int chunkFrames,
        int warmup,
        int lookahead,
        JobAnalysis analysis,
        String outputKey,
        String error,
        StageTimings timings,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {
}
