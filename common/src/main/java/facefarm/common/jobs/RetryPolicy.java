package facefarm.common.jobs;

/**
 * What happens to a chunk when its current attempt ends without a result: another attempt while the budget lasts,
 * or failure of the chunk (and so of the job) with a reason that names the chunk and the last error.
 */
public record RetryPolicy(int maxAttempts) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a chunk needs at least one attempt");
        }
    }

    public sealed interface Decision permits Retry, GiveUp {
    }

    public record Retry(int nextAttemptNumber) implements Decision {
    }

    public record GiveUp(String reason) implements Decision {
    }

    /**
     * How long attempt {@code number} waits before it is offered: nothing for the first, then {@code base} doubling per
     * attempt up to {@code cap}, so a short outage of a shared service does not burn the whole budget in seconds.
     */
    public static java.time.Duration backoff(int number, java.time.Duration base, java.time.Duration cap) {
        if (number <= 1 || base.isZero()) {
            return java.time.Duration.ZERO;
        }
        java.time.Duration delay = base.multipliedBy(1L << Math.min(20, number - 2));
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    public Decision afterFailure(int chunkIndex, int attemptsUsed, String lastError) {
        if (attemptsUsed < maxAttempts) {
            return new Retry(attemptsUsed + 1);
        }
        return new GiveUp("chunk " + chunkIndex + " failed " + attemptsUsed + " of " + maxAttempts
                + " allowed attempts; last error: " + lastError);
    }
}
