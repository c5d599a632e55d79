package facefarm.common.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life of a chunk. Each OFFERED/RUNNING period belongs to one attempt; a failed or silent attempt sends the chunk
 * back to OFFERED with a new attempt while the retry budget lasts, else to FAILED. CANCELLED: its job failed.
 */
public enum ChunkState {
    OFFERED, RUNNING, DONE, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public Set<ChunkState> next() {
        return switch (this) {
            case OFFERED -> EnumSet.of(OFFERED, RUNNING, DONE, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(OFFERED, DONE, FAILED, CANCELLED);
            // a retry of the chunk or of its job renders it again
            case DONE, FAILED, CANCELLED -> EnumSet.of(OFFERED);
        };
    }

    public boolean canBecome(ChunkState target) {
        return next().contains(target);
    }
}
