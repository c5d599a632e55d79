package facefarm.common.messaging;

import facefarm.common.jobs.Failure;
import facefarm.common.jobs.PreparedJob;
import java.util.Objects;

/**
 * What a worker reports about a prepare or stitch attempt. A completed prepare carries the {@code prepared} job; a
 * completed stitch its {@code outputKey}, frames and milliseconds; a failure says which check failed and why.
 */
public record TaskEvent(Kind kind, Task task, String jobId, String attemptId, String workerId, PreparedJob prepared, Stitched stitched,
                        Failure failure) {
    public enum Kind { STARTED, COMPLETED, FAILED }

    public enum Task { PREPARE, STITCH }

    /** A stitch's output: its key, frames and bytes, the bytes of the chunks it joined, and how long it took (streamed into S3). */
    public record Stitched(String outputKey, long frames, long bytes, long chunkBytes, long stitchMs) {
    }

    public TaskEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(attemptId, "attemptId");
        if (kind == Kind.FAILED && failure == null) {
            throw new IllegalArgumentException("a failed task event must say why");
        }
        if (kind == Kind.COMPLETED && task == Task.PREPARE && prepared == null) {
            throw new IllegalArgumentException("a completed prepare task must carry the prepared job");
        }
        if (kind == Kind.COMPLETED && task == Task.STITCH && stitched == null) {
            throw new IllegalArgumentException("a completed stitch task must carry its output");
        }
    }

    public static TaskEvent started(Task task, String jobId, String attemptId, String workerId) {
        return new TaskEvent(Kind.STARTED, task, jobId, attemptId, workerId, null, null, null);
    }

    public static TaskEvent failed(Task task, String jobId, String attemptId, String workerId, Failure failure) {
        return new TaskEvent(Kind.FAILED, task, jobId, attemptId, workerId, null, null, failure);
    }
}
