package facefarm.common.jobs;

import java.time.Instant;

/** One attempt at a job's prepare or stitch task, as GET /api/v1/jobs/{id}/tasks shows it. */
public record TaskStatus(String task, int attempt, String attemptId, AttemptState state, String workerId, String error, Instant offeredAt,
                         Instant finishedAt) {
}
