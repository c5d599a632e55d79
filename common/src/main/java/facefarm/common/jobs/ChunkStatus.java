package facefarm.common.jobs;

import facefarm.common.planning.FrameRange;

/** One chunk as GET /api/v1/jobs/{id}/chunks shows it, with its current attempt. */
public record ChunkStatus(
        int index,
        FrameRange owned,
        FrameRange decoded,
        ChunkState state,
        int attempts,
        String attemptId,
        String workerId,
        long framesDone,
        double framesPerSecond,
        String error,
        long bytesRead) {
}
