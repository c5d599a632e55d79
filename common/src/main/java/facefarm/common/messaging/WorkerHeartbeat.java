package facefarm.common.messaging;

import java.util.List;

/** Periodic sign of life of a worker process, with what it is doing. */
public record WorkerHeartbeat(
        String workerId,
        String host,
        String device,
        List<String> modelsLoaded,
        double framesPerSecond,
        String currentJobId,
        Integer currentChunk,
        String currentAttemptId,
        long chunksCompleted) {

    public WorkerHeartbeat {
        modelsLoaded = List.copyOf(modelsLoaded == null ? List.of() : modelsLoaded);
    }
}
