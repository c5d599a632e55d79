package facefarm.common.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life of a job: a worker prepares it (probe, face checks, models), its chunks run, a worker stitches them; FAILED
 * carries a reason; CANCELLED is a studio's or operator's stop, at any stage before the end; PAUSED lets running chunks
 * finish and starts nothing new until it is RUNNING again. A FAILED or CANCELLED job can be retried: it goes back to the
 * stage its missing work needs.
 */
public enum JobState {
    PREPARING, RUNNING, PAUSED, STITCHING, DONE, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public Set<JobState> next() {
        return switch (this) {
            case PREPARING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(STITCHING, FAILED, CANCELLED, PAUSED);
            case PAUSED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case STITCHING -> EnumSet.of(DONE, FAILED, RUNNING, CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(PREPARING, RUNNING, STITCHING);
            case DONE -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canBecome(JobState target) {
        return next().contains(target);
    }
}
