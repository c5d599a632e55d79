package facefarm.common.jobs;

/** One attempt at a chunk. Only the chunk's current attempt may move it forward (fencing). */
public enum AttemptState {
    OFFERED, RUNNING, COMPLETED, FAILED, TIMED_OUT, CANCELLED,
    /** Handed back by a worker that was stopping: not a failure, and it costs the chunk no attempt. */
    RELEASED;

    public boolean isLive() {
        return this == OFFERED || this == RUNNING;
    }
}
