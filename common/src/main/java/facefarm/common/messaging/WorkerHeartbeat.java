package facefarm.common.messaging;

import java.util.List;

/**
 * Periodic sign of life of a worker process, with what it is doing. {@code reportedAttempts} are the attempts (chunks,
 * prepare and stitch tasks) whose outcome it sent most recently: while their events are still on their way (a
 * coordinator restart, a rebalance), the coordinator must not take the silence for a dead worker. {@code tags} are what
 * jobs may require of it: its pool, GPU class and installed models (see {@code Scheduling}); {@code stopping} once it is
 * shutting down (it gets no new work).
 */
public record WorkerHeartbeat(
        String workerId,
        String host,
        String device,
        List<String> modelsLoaded,
        double framesPerSecond,
        String currentJobId,
        Integer currentChunk,
        String currentAttemptId,
        long chunksCompleted,
        List<String> reportedAttempts,
        Accelerator accelerator,
        List<String> tags,
        boolean stopping) {

    /**
     * What the worker computes with: {@code executionProvider} ("tensorrt", "cuda", "cpu") on {@code device}
     * ("cuda:1", "cpu"), the chunks' {@code videoEncoder} ("h264_nvenc", "libopenh264"), and why a requested GPU
     * provider or encoder is not in use ({@code note}, or null).
     */
    public record Accelerator(String executionProvider, String videoEncoder, String note) {
    }

    public WorkerHeartbeat {
        modelsLoaded = List.copyOf(modelsLoaded == null ? List.of() : modelsLoaded);
        reportedAttempts = List.copyOf(reportedAttempts == null ? List.of() : reportedAttempts);
        tags = List.copyOf(tags == null ? List.of() : tags);
    }
}
