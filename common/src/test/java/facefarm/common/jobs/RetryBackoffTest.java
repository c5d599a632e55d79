package facefarm.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void theFirstAttemptGoesAtOnceAndRetriesDoubleUpToTheCap() {
        List<Long> seconds = IntStream.rangeClosed(1, 8)
                .mapToObj(n -> RetryPolicy.backoff(n, Duration.ofSeconds(5), Duration.ofMinutes(2)).toSeconds()).toList();
        assertEquals(List.of(0L, 5L, 10L, 20L, 40L, 80L, 120L, 120L), seconds);
    }

    @Test
    void aZeroBaseMeansNoBackoffAndHugeAttemptNumbersDoNotOverflow() {
        assertEquals(Duration.ZERO, RetryPolicy.backoff(3, Duration.ZERO, Duration.ofMinutes(2)));
        assertEquals(Duration.ofMinutes(2), RetryPolicy.backoff(1_000, Duration.ofSeconds(5), Duration.ofMinutes(2)));
    }
}
