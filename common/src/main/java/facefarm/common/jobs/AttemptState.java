package facefarm.common.jobs;

/** One attempt at a chunk. Only the chunk's current attempt may move it forward (fencing). */
public enum AttemptState {
    OFFERED, RUNNING, COMPLETED, FAILED, TIMED_OUT, CANCELLED;

    public boolean isLive() {
        return this == OFFERED || this == RUNNING;
    }
}
