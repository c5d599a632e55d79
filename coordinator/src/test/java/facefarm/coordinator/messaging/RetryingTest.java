package facefarm.coordinator.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingTest {
    private final List<Duration> waits = new ArrayList<>();

    @Test
    void aTransientFailureIsRetriedWithGrowingWaits() {
        AtomicInteger calls = new AtomicInteger();
        String result = Retrying.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("deadlock detected");
            }
            return "handled";
        }, IllegalArgumentException.class, (n, e, wait) -> { }, waits::add);
        assertEquals("handled", result);
        assertEquals(List.of(Duration.ofMillis(200), Duration.ofMillis(400)), waits);
    }

    @Test
    void aFailureThatPersistsEndsAfterFiveTries() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException last = new IllegalStateException("database down");
        assertSame(last, assertThrows(IllegalStateException.class, () -> Retrying.run(() -> {
            calls.incrementAndGet();
            throw last;
        }, IllegalArgumentException.class, (n, e, wait) -> { }, waits::add)));
        assertEquals(5, calls.get());
        assertEquals(4, waits.size());
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> Retrying.run(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("not a farm message");
        }, IllegalArgumentException.class, (n, e, wait) -> { }, waits::add));
        assertEquals(1, calls.get());
        assertEquals(List.of(), waits);
    }
}
