package facefarm.worker.messaging;

import facefarm.common.messaging.Fence;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The newest fence of each job and chunk, and what they say about an offer. */
public final class FenceBook {
    private final Map<String, Fence> fences = new ConcurrentHashMap<>();

    /**
     * Keeps the newer of two fences of a key: a job's fence of a later run (a retry) replaces an earlier one's; a chunk's
     * minimum attempt only rises.
     */
    public void apply(Fence fence) {
        fences.merge(fence.key(), fence, (old, now) -> now.epoch() > old.epoch() || now.epoch() == old.epoch()
                && (now.closed() || !old.closed() && now.minAttempt() >= old.minAttempt()) ? now : old);
    }

    /** A tombstone: compaction dropped the key. */
    public void remove(String key) {
        fences.remove(key);
    }

    /** Whether the job's run {@code epoch} is still open: no fence closed it or a later run. */
    public boolean wanted(String jobId, int epoch) {
        Fence job = fences.get(Fence.key(jobId, null));
        return job == null || !job.closed() || job.epoch() < epoch;
    }

    /** Whether a chunk's attempt is still wanted: its job's run is open and no newer attempt superseded it. */
    public boolean wanted(String jobId, int epoch, int chunkIndex, int attemptNumber) {
        if (!wanted(jobId, epoch)) {
            return false;
        }
        Fence chunk = fences.get(Fence.key(jobId, chunkIndex));
        return chunk == null || attemptNumber >= chunk.minAttempt();
    }

    /** Why an attempt is not wanted, for the log. */
    public String why(String jobId, int epoch, int chunkIndex, int attemptNumber) {
        if (!wanted(jobId, epoch)) {
            return "its job has ended";
        }
        return wanted(jobId, epoch, chunkIndex, attemptNumber) ? "it is wanted" : "attempt " + fences.get(Fence.key(jobId, chunkIndex)).minAttempt() + " superseded it";
    }
}
