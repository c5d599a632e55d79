package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.deploy.stack.Ports;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's S3 calls ride out S3 restarting, checks of an object's size among them (the chaos test caught a chunk that
 * burnt its attempts on them); a request path with no tolerance fails at once.
 */
class ObjectStoreOutageTest {
    @TempDir
    Path dir;

    @Test
    void sizeChecksWaitForS3ToComeBack() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("s3");
        Path file = Files.writeString(dir.resolve("face.png"), "not really a picture");
        S3Server first = S3Server.start(data, port);
        try (ObjectStore worker = new ObjectStore(first.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm", Duration.ofSeconds(30));
             ObjectStore request = new ObjectStore(first.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            worker.ensureBucket();
            worker.upload(file, "tenants/t/jobs/j/input/sources/0-face.png");
            first.close();
            assertThrows(StorageException.class, () -> request.size("tenants/t/jobs/j/input/sources/0-face.png"), "no tolerance: fails at once");
            CompletableFuture<S3Server> restarted = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return S3Server.start(data, port);
            });
            long started = System.nanoTime();
            assertEquals(Files.size(file), worker.size("tenants/t/jobs/j/input/sources/0-face.png"));
            assertTrue(System.nanoTime() - started >= Duration.ofSeconds(1).toNanos(), "the check waited for S3");
            assertEquals(-1, worker.size("tenants/t/jobs/j/input/sources/missing.png"), "a missing object is an answer, not an outage");
            restarted.get().close();
        }
    }
}
