package facefarm.worker.messaging;

import facefarm.common.messaging.Fence;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The newest fence of each job and chunk, and what they say about an offer. */
public final class FenceBook {
    private final Map<String, Fence> fences = new ConcurrentHashMap<>();

    /** Keeps the newer of two fences of a key: a closed job stays closed, a chunk's minimum attempt only rises. */
    public void apply(Fence fence) {
        fences.merge(fence.key(), fence, (old, now) -> old.closed() ? old : now.closed() || now.minAttempt() >= old.minAttempt() ? now : old);
    }

    /** A tombstone: compaction dropped the key. */
    public void remove(String key) {
        fences.remove(key);
    }

    /** Whether the job is still open (not done, not failed). */
    public boolean wanted(String jobId) {
        Fence job = fences.get(Fence.key(jobId, null));
        return job == null || !job.closed();
    }

    /** Whether a chunk's attempt is still wanted: its job is open and no newer attempt superseded it. */
    public boolean wanted(String jobId, int chunkIndex, int attemptNumber) {
        if (!wanted(jobId)) {
            return false;
        }
        Fence chunk = fences.get(Fence.key(jobId, chunkIndex));
        return chunk == null || attemptNumber >= chunk.minAttempt();
    }

    /** Why an attempt is not wanted, for the log. */
    public String why(String jobId, int chunkIndex, int attemptNumber) {
        if (!wanted(jobId)) {
            return "its job has ended";
        }
        return wanted(jobId, chunkIndex, attemptNumber) ? "it is wanted" : "attempt " + fences.get(Fence.key(jobId, chunkIndex)).minAttempt() + " superseded it";
    }
}
