package facefarm.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCacheTest {
    @TempDir
    Path dir;

    private Path job(String name, int bytes, long ageSeconds) throws Exception {
        Path job = Files.createDirectories(dir.resolve(name).resolve("input/sources"));
        Files.write(job.resolve("0-face.png"), new byte[bytes]);
        Files.setLastModifiedTime(dir.resolve(name), FileTime.from(Instant.now().minusSeconds(ageSeconds)));
        return dir.resolve(name);
    }

    @Test
    void leastRecentlyUsedJobsGoUntilTheNewFileFits() throws Exception {
        Path oldest = job("a", 400, 300);
        Path middle = job("b", 400, 200);
        Path newest = job("c", 400, 100);
        InputCache cache = new InputCache(dir, 1000);
        cache.makeRoom(300, newest);
        assertFalse(Files.exists(oldest), "the least recently used job went first");
        assertFalse(Files.exists(middle), "then the next, until 300 more bytes fit in 1000");
        assertTrue(Files.exists(newest));
        assertEquals(400, cache.bytes());
    }

    @Test
    void theJobInUseStaysEvenWhenItAloneIsOverBudget() throws Exception {
        Path inUse = job("a", 900, 300);
        Path other = job("b", 50, 100);
        InputCache cache = new InputCache(dir, 500);
        cache.makeRoom(200, inUse);
        assertTrue(Files.exists(inUse), "the job being worked on is never evicted");
        assertFalse(Files.exists(other));
    }

    @Test
    void nothingGoesWhileTheBudgetHolds() throws Exception {
        Path a = job("a", 100, 300);
        Path b = job("b", 100, 100);
        new InputCache(dir, 1000).makeRoom(500, b);
        assertTrue(Files.exists(a) && Files.exists(b));
    }
}
