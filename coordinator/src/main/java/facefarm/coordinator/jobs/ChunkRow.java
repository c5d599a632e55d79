package facefarm.coordinator.jobs;

import facefarm.common.jobs.ChunkState;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import java.util.UUID;

/** A chunk as stored, with what its current attempt reported. */
public record ChunkRow(
        UUID jobId,
        int index,
        FrameRange owned,
        FrameRange decoded,
        Keyframe seek,
        ChunkState state,
        int attempts,
        int uncounted,
        UUID currentAttempt,
        String outputKey,
        String error,
        String workerId,
        long framesDone,
        double framesPerSecond,
        long bytesRead) {

    /**
     * Attempts that count against the retry budget: hand-backs of stopping workers do not, nor do attempts before the
     * job or chunk was retried ({@code uncounted}).
     */
    public int attemptsUsed() {
        return attempts - uncounted;
    }
}
