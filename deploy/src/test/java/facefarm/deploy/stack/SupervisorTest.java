package facefarm.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
    @TempDir
    Path dir;

    @Test
    void backoffDoublesFromOneSecondToThirty() {
        assertEquals(Duration.ofSeconds(1), Supervisor.backoff(1));
        assertEquals(Duration.ofSeconds(2), Supervisor.backoff(2));
        assertEquals(Duration.ofSeconds(16), Supervisor.backoff(5));
        assertEquals(Duration.ofSeconds(30), Supervisor.backoff(6));
        assertEquals(Duration.ofSeconds(30), Supervisor.backoff(40));
    }

    @Test
    void aDeadPartIsRestartedAndRecordedButNotWhilePaused() throws Exception {
        AtomicBoolean alive = new AtomicBoolean(true);
        AtomicInteger restarts = new AtomicInteger();
        Path state = dir.resolve("supervisor.json");
        try (Supervisor supervisor = new Supervisor(state)) {
            supervisor.watch("worker-1", Supervisor.part(alive::get, () -> {
                restarts.incrementAndGet();
                alive.set(true);
            }));
            supervisor.start();
            supervisor.pause("worker-1");
            alive.set(false);
            Thread.sleep(2_500);
            assertEquals(0, restarts.get(), "a paused part is left alone");
            supervisor.resume("worker-1");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (restarts.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, restarts.get());
            assertEquals(1, supervisor.records().get("worker-1").restarts());
            Thread.sleep(200);
            assertTrue(Files.readString(state).contains("\"restarts\":1"), Files.readString(state));
        }
    }
}
