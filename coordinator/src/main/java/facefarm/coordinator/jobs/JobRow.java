package facefarm.coordinator.jobs;

import facefarm.common.jobs.Failure;
import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.JobInputs;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.StageTimings;
import facefarm.common.storage.JobFolder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as stored. {@code framesTotal} is the output's frame count; the target itself has {@code targetFrames} (fewer
 * when its last frame is held to the end of new audio). {@code audioKey} is the job's new audio, null when the output
 * keeps the target's own; {@code hasAudio} says whether the output has sound at all. While the job is PREPARING, the
 * picture, timeline and analysis are not known yet (zero); its prepare task fills them in.
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
        long targetFrames,
        Submission submission,
        Failure failure,
        UUID currentTask,
        JobStatus.Sizes sizes,
        String soundKey,
        Owner owner,
        Placement placement) {

    /** A job as submitted, before its prepare task: what it reads and how. */
    public static JobRow submitted(UUID id, JobInputs inputs, JobOptions options, Owner owner) {
        return new JobRow(id, JobState.PREPARING, inputs.target().name(), inputs.target().key(), inputs.sources().stream().map(f -> f.key()).toList(),
                options.processors() == null ? java.util.List.of() : options.processors(), options.outputFormat(), 0, 1, 1, 0, 0, "", false,
                options.chunkFrames(), 0, 0, new JobAnalysis(facefarm.common.jobs.AnalysisOptions.DEFAULTS, null, null, null), null, null,
                StageTimings.ZERO, null, null, null, inputs.audio() == null ? null : inputs.audio().key(), 0, new Submission(inputs, options), null, null, new JobStatus.Sizes(0, 0, 0), null, owner,
                new Placement(options.scheduling().priorityOrDefault(), options.scheduling().requiredTags(), null, 0));
    }

    /**
     * Where and when the job's chunks run: its priority now (changed while it runs), the tags its workers need, why no
     * live worker can take its chunks (null while one can), and how often it was retried ({@code epoch}).
     */
    public record Placement(int priority, List<String> requiredTags, String waitingFor, int epoch) {
    }

    /** What the studio submitted: its inputs and its options (with the chunk size and default chain filled in). */
    public record Submission(JobInputs inputs, JobOptions options) {
    }

    /** The tenant a job belongs to and the token that submitted it (null for jobs from before tokens). */
    public record Owner(String tenant, String submittedBy) {
    }

    /** Where the job's objects live, under its tenant's prefix. */
    public JobFolder folder() {
        return new JobFolder(owner.tenant(), id.toString());
    }

    /** Where the output's sound comes from: the new audio, or the target's audio track; null when it has none. */
    public String audioSourceKey() {
        return soundKey;
    }
}
