package facefarm.coordinator.messaging;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs an event's handling again after a transient failure (a database blip, a serialisation conflict), waiting a
 * little longer each time, so an event is dead-lettered only when it keeps failing.
 */
final class Retrying {
    /** Waits between tries: 0.2 s doubling, five tries in about 3 s. */
    static final int TRIES = 5;
    static final Duration FIRST_WAIT = Duration.ofMillis(200);

    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    interface Retry {
        void failed(int attempt, RuntimeException error, Duration wait);
    }

    private Retrying() {
    }

    /** The work's result; the last failure once every try failed (or at once, when it is one {@code permanent} says not to retry). */
    static <T> T run(Supplier<T> work, Class<? extends RuntimeException> permanent, Retry onRetry, Sleeper sleeper) {
        Duration wait = FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (permanent.isInstance(e) || attempt >= TRIES) {
                    throw e;
                }
                onRetry.failed(attempt, e, wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }
}
