package facefarm.common.messaging;

import facefarm.common.jobs.JobInputs;
import facefarm.common.jobs.JobLimits;
import facefarm.common.jobs.JobOptions;
import facefarm.common.storage.JobFolder;
import java.util.Objects;

/**
 * Prepare a job on a worker: probe the target from its packets, check the source faces, find the reference face,
 * resolve the chain and its models against what the worker has, and plan the chunks. {@code options} are the
 * studio's, with the chunk size and the coordinator's default chain already filled in; {@code limits} are the farm's.
 * What the task writes goes under the job's folder in its {@code tenant}'s prefix; {@code jobEpoch} counts the job's retries.
 */
public record PrepareTask(String jobId, String attemptId, int attemptNumber, String tenant, JobInputs inputs, JobOptions options, JobLimits limits,
                          int jobEpoch) {
    public PrepareTask {
        if (limits == null) {
            limits = JobLimits.DEFAULTS;
        }
        facefarm.common.access.Tenants.require(tenant);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        WorkRefs.requireIds(jobId, attemptId);
        java.util.List<String> keys = new java.util.ArrayList<>(inputs.sources().stream().map(f -> f.key()).toList());
        keys.add(inputs.target().key());
        keys.add(inputs.audio() == null ? null : inputs.audio().key());
        options.referencePhotos().forEach(photo -> keys.add(photo.key()));
        WorkRefs.requireKeys(jobId, keys);
    }

    public JobFolder folder() {
        return new JobFolder(tenant, jobId);
    }
}
