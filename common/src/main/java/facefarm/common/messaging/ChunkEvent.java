package facefarm.common.messaging;

import facefarm.common.jobs.StageTimings;
import java.util.Objects;

/**
 * What a worker reports about one attempt. Progress events double as the attempt's heartbeat. {@code bytesRead} is
 * what the attempt read of the target (byte ranges, not the whole file).
 */
public record ChunkEvent(
        Kind kind,
        String jobId,
        int chunkIndex,
        String attemptId,
        String workerId,
        long framesDone,
        long framesOwned,
        double framesPerSecond,
        String outputKey,
        StageTimings timings,
        String error,
        long bytesRead) {

    /** An event without the target bytes read (started, progress, failed). */
    public ChunkEvent(Kind kind, String jobId, int chunkIndex, String attemptId, String workerId, long framesDone, long framesOwned,
                      double framesPerSecond, String outputKey, StageTimings timings, String error) {
        this(kind, jobId, chunkIndex, attemptId, workerId, framesDone, framesOwned, framesPerSecond, outputKey, timings, error, 0);
    }

    /**
     * {@code RELEASED}: the worker is stopping (a scale-down, a node drain) and hands the attempt back unfinished; the
     * chunk is offered again at once, and the hand-back costs none of its attempts.
     */
    public enum Kind { STARTED, PROGRESS, COMPLETED, FAILED, RELEASED }

    public ChunkEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(attemptId, "attemptId");
        if (timings == null) {
            timings = StageTimings.ZERO;
        }
    }
}
