package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import java.util.UUID;

public record AttemptRow(UUID id, UUID jobId, int chunkIndex, int number, AttemptState state, String workerId, String outputKey, String assignedWorker) {
}
