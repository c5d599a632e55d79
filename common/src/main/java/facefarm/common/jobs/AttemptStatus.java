package facefarm.common.jobs;

import java.time.Instant;

/**
 * One attempt at a chunk, for GET /api/v1/jobs/{id}/chunks/{k}/attempts: who was sent it and who ran it, how far it
 * got, how it ended, and where its log is. A failed one carries its log's last lines ({@code logTail}).
 */
public record AttemptStatus(int chunkIndex, int number, String id, AttemptState state, String assignedWorker, String workerId, long framesDone, double framesPerSecond,
                            String error, Times times, String logUrl, String logTail) {
    /** When it was made (queued), started on a worker, and ended. */
    public record Times(Instant offeredAt, Instant startedAt, Instant finishedAt) {
    }
}
