package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real stack: an attempt whose worker is alive outlives a coordinator that was killed and came back. */
class LivenessTest {
    @TempDir
    Path dir;

    @Test
    void aCoordinatorKilledMidChunkAndRestartedTimesOutNoLiveAttempt() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                // the coordinator is away (killed, then about 4 s to start again) for longer than the heartbeat timeout
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(20))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_HEARTBEAT_MS", "500"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            String jobId = client.submit(SharedFiles.media("face_4.mp4"), List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("mesh_swapper"), 200, "mkv")).id();
            ChunkStatus running = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (running == null && System.nanoTime() < deadline) {
                running = client.job(jobId).state() == JobState.RUNNING
                        ? client.chunks(jobId).stream().filter(c -> c.state() == ChunkState.RUNNING).findFirst().orElse(null) : null;
                Thread.sleep(100);
            }
            assertTrue(running != null, "the chunk started");

            farm.coordinator().kill();
            Thread.sleep(1_000);
            farm.restartCoordinator();
            ChunkStatus after = client.chunks(jobId).get(0);
            assertEquals(1, after.attempts(), "the running attempt was not timed out while the coordinator was away: " + after);
            assertEquals(ChunkState.RUNNING, after.state(), "the chunk must still run when the coordinator is back, or this test proves nothing");
            // a few reaper rounds with the worker alive
            Thread.sleep(5_000);
            assertEquals(1, client.chunks(jobId).get(0).attempts(), "still the first attempt");

            JobStatus done = client.follow(jobId, s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            ChunkStatus chunk = client.chunks(jobId).get(0);
            assertEquals(1, chunk.attempts(), "the live attempt was kept, not timed out and offered again: " + chunk);
            assertTrue(chunk.framesDone() > 0);
        }
    }

    @Test
    void anOfferQueuedBehindABusyWorkerIsNotTimedOut() {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home-queue"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_HEARTBEAT_MS", "500",
                        // the second chunk waits longer than this while the only worker renders the first
                        "FARM_OFFER_TIMEOUT", "3s"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            String jobId = client.submit(SharedFiles.media("face_4.mp4"), List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("mesh_swapper"), 100, "mkv")).id();
            JobStatus done = client.follow(jobId, s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            List<ChunkStatus> chunks = client.chunks(jobId);
            assertEquals(2, chunks.size());
            for (ChunkStatus chunk : chunks) {
                assertEquals(1, chunk.attempts(), "a queued offer costs no attempt: " + chunk);
            }
        }
    }
}
