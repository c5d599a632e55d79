package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import facefarm.common.messaging.TaskEvent;
import java.util.UUID;

/** One attempt at a job's prepare or stitch task. Only the job's current task may move it forward (fencing). */
public record TaskRow(UUID id, UUID jobId, TaskEvent.Task kind, int number, AttemptState state, String workerId) {
}
