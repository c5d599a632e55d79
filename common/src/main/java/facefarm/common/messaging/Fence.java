package facefarm.common.messaging;

/**
 * What work of a job is still wanted, on the compacted fence topic that every worker reads: a {@code closed} job (done
 * or failed) wants nothing more; a chunk wants only attempts numbered {@code minAttempt} or later. A worker checks an
 * offer against it before it starts and while it runs, so a stale offer (re-offered after a timeout, or of a job that
 * has failed) costs no GPU time. The coordinator's fencing of results stays the guarantee; this saves the work. A job's
 * fence names its {@code epoch} (how often it was retried): it closes that run and earlier ones, not a later retry.
 *
 * @param chunkIndex the chunk, or null for the whole job
 */
public record Fence(String jobId, Integer chunkIndex, int minAttempt, boolean closed, int epoch) {
    public Fence {
        WorkRefs.requireUuid("jobId", jobId);
        if (chunkIndex != null && chunkIndex < 0) {
            throw new IllegalArgumentException("chunkIndex must not be negative, got " + chunkIndex);
        }
    }

    public static Fence jobClosed(String jobId, int epoch) {
        return new Fence(jobId, null, 0, true, epoch);
    }

    public static Fence chunk(String jobId, int chunkIndex, int minAttempt) {
        return new Fence(jobId, chunkIndex, minAttempt, false, 0);
    }

    /** The record key: one live record per job and per chunk after compaction. */
    public String key() {
        return key(jobId, chunkIndex);
    }

    /** The key of a job's fence ({@code chunkIndex} null) or of one of its chunks'. */
    public static String key(String jobId, Integer chunkIndex) {
        return chunkIndex == null ? jobId : jobId + "/" + chunkIndex;
    }
}
