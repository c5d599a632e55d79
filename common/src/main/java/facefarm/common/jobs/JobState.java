package facefarm.common.jobs;

import java.util.EnumSet;
import java.util.Set;

/** Life of a job: chunks run, then the coordinator stitches; FAILED carries a reason. */
public enum JobState {
    RUNNING, STITCHING, DONE, FAILED;

    public boolean isTerminal() {
        return this == DONE || this == FAILED;
    }

    public Set<JobState> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(STITCHING, FAILED);
            case STITCHING -> EnumSet.of(DONE, FAILED, RUNNING);
            case DONE, FAILED -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canBecome(JobState target) {
        return next().contains(target);
    }
}
