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

    public Decision afterFailure(int chunkIndex, int attemptsUsed, String lastError) {
        if (attemptsUsed < maxAttempts) {
            return new Retry(attemptsUsed + 1);
        }
        return new GiveUp("chunk " + chunkIndex + " failed " + attemptsUsed + " of " + maxAttempts
                + " allowed attempts; last error: " + lastError);
    }
}
