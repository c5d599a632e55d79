package facefarm.common.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life of a job: a worker prepares it (probe, face checks, models), its chunks run, a worker stitches them; FAILED
 * carries a reason.
 */
public enum JobState {
    PREPARING, RUNNING, STITCHING, DONE, FAILED;

    public boolean isTerminal() {
        return this == DONE || this == FAILED;
    }

    public Set<JobState> next() {
        return switch (this) {
            case PREPARING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(STITCHING, FAILED);
            case STITCHING -> EnumSet.of(DONE, FAILED, RUNNING);
            case DONE, FAILED -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canBecome(JobState target) {
        return next().contains(target);
    }
}
