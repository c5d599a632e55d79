package facefarm.common.jobs;

import java.time.Instant;

/** One entry of a job's history: what was done to it ({@code submit}, {@code cancel}, ...), by whom, when. */
public record JobAction(String action, String actor, Instant at, String detail) {
}
