package facefarm.coordinator.jobs;

import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.StageTimings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as stored. {@code framesTotal} is the output's frame count; the target itself has {@code targetFrames} (fewer
 * when its last frame is held to the end of new audio). {@code audioKey} is the job's new audio, null when the output
 * keeps the target's own; {@code hasAudio} says whether the output has sound at all.
 */
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
        Instant finishedAt,
        String audioKey,
        long targetFrames) {

    /** Where the output's sound comes from: the new audio, or the target's own; null when it has none. */
    public String audioSourceKey() {
        return audioKey != null ? audioKey : hasAudio ? targetKey : null;
    }
}
