package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobAction;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job control on the real embedded stack: a job cancelled mid-chunk stops on the worker, ends CANCELLED, and leaves no chunk behind. */
class JobControlTest {
    @TempDir
    Path dir;

    @Test
    void aJobCancelledMidChunkStopsOnTheWorkerWithinSecondsAndLeavesNoChunkBehind() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             ObjectStore bucket = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 32, "mkv"));
            // one chunk done and uploaded, the next one mid-way: both must go
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            boolean midway = false;
            while (!midway && System.nanoTime() < deadline) {
                List<ChunkStatus> chunks = client.chunks(job.id());
                midway = chunks.stream().anyMatch(c -> c.state() == ChunkState.DONE)
                        && chunks.stream().anyMatch(c -> c.state() == ChunkState.RUNNING && c.framesDone() > 0 && c.framesDone() < 24);
                Thread.sleep(20);
            }
            assertTrue(midway, "no moment with a chunk done and the next one mid-way");
            assertTrue(!chunkObjects(bucket, job.id()).isEmpty(), "the finished chunk is in S3 before the cancel");

            long cancelledAt = System.nanoTime();
            JobStatus cancelled = client.cancel(job.id());
            assertEquals(JobState.CANCELLED, cancelled.state());
            assertTrue(cancelled.error().contains("cancelled by"), cancelled.error());

            // the worker stops the attempt at its next frame, once the fence reaches it
            String busyWith = job.id();
            while (busyWith != null && System.nanoTime() - cancelledAt < Duration.ofSeconds(15).toNanos()) {
                Thread.sleep(100);
                busyWith = (String) client.workers().get(0).get("currentJob");
            }
            long stopSeconds = Duration.ofNanos(System.nanoTime() - cancelledAt).toSeconds();
            assertEquals(null, busyWith, "the worker still runs the cancelled job after 15 s:\n" + farm.workers().get(0).logTail(20));
            assertTrue(farm.workers().get(0).logTail(60).contains("no longer wanted"), farm.workers().get(0).logTail(20));
            Thread.sleep(1_000);
            assertEquals(List.of(), chunkObjects(bucket, job.id()), "no chunk of the cancelled job is left in S3");
            assertTrue(client.chunks(job.id()).stream().noneMatch(c -> c.state() == ChunkState.RUNNING || c.state() == ChunkState.OFFERED));

            List<JobAction> history = client.history(job.id());
            assertEquals(List.of("submit", "cancel"), history.stream().map(JobAction::action).toList());
            assertEquals(history.get(0).actor(), history.get(1).actor(), "the operator who submitted it cancelled it");
            assertEquals("was RUNNING", history.get(1).detail());
            CoordinatorClient.ApiException again = assertThrows(CoordinatorClient.ApiException.class, () -> client.cancel(job.id()));
            assertEquals(409, again.status());
            assertTrue(again.getMessage().contains("already ended (CANCELLED)"), again.getMessage());
            FarmCommand.Run twice = FarmCommand.run(dir, null, "cancel", job.id(), "--api", farm.apiUrl());
            assertTrue(twice.exit() != 0 && twice.stderr().contains("already ended"), twice.stderr());

            // as an operator does it: ./farm cancel, against the farm's API with the farm's token
            JobStatus queued = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv"));
            FarmCommand.Run cancel = FarmCommand.run(dir, null, "cancel", queued.id(), "--api", farm.apiUrl());
            assertEquals(0, cancel.exit(), cancel.stdout() + cancel.stderr());
            assertTrue(cancel.stdout().contains("cancel by "), "the history is printed: " + cancel.stdout());
            assertEquals(JobState.CANCELLED, client.job(queued.id()).state());

            JobStatus next = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv"))
                    .id(), s -> { });
            assertEquals(JobState.DONE, next.state(), "the worker takes the next job: " + next.error());
            System.err.printf("cancel: the worker stopped the cancelled job's chunk within %d s%n", stopSeconds);
        }
    }

    @Test
    void aPausedJobFinishesItsRunningChunkStartsNothingNewAndResumesToEveryFrameOnce() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home-pause"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString())).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobOptions options = new JobOptions(List.of("face_debugger"), 32, "mkv");
            JobStatus job = client.submit(SharedFiles.media("face_2.mp4"), List.of(), options);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            ChunkStatus running = null;
            while (running == null && System.nanoTime() < deadline) {
                running = client.chunks(job.id()).stream().filter(c -> c.state() == ChunkState.RUNNING && c.framesDone() > 0 && c.framesDone() < 24)
                        .findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertTrue(running != null, "no chunk was seen mid-way");
            assertEquals(JobState.PAUSED, client.control(job.id(), "pause").state());
            int index = running.index();

            // the running chunk finishes; then nothing else starts
            ChunkStatus finished = null;
            while (finished == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
                finished = client.chunks(job.id()).stream().filter(c -> c.index() == index && c.state() == ChunkState.DONE).findFirst().orElse(null);
            }
            assertTrue(finished != null, "the chunk running at the pause finishes: " + client.chunks(job.id()));
            Thread.sleep(6_000);
            List<ChunkStatus> held = client.chunks(job.id());
            long done = held.stream().filter(c -> c.state() == ChunkState.DONE).count();
            assertTrue(held.stream().noneMatch(c -> c.state() == ChunkState.RUNNING), "nothing runs while paused: " + held);
            assertTrue(done < held.size(), "chunks are left for after the resume: " + held);
            assertEquals(null, client.workers().get(0).get("currentJob"), "the worker idles");
            assertEquals(JobState.PAUSED, client.job(job.id()).state());
            CoordinatorClient.ApiException twice = assertThrows(CoordinatorClient.ApiException.class, () -> client.control(job.id(), "pause"));
            assertEquals(409, twice.status());

            assertEquals(JobState.RUNNING, client.control(job.id(), "resume").state());
            JobStatus resumed = client.follow(job.id(), s -> { });
            assertEquals(JobState.DONE, resumed.state(), resumed.error());
            assertTrue(client.chunks(job.id()).stream().allMatch(c -> c.attempts() - 1 <= 1), "a held chunk costs one superseded offer at most");
            assertEquals(List.of("submit", "pause", "resume"), client.history(job.id()).stream().map(JobAction::action).toList());

            JobStatus straight = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), options).id(), s -> { });
            Path paused = dir.resolve("paused.mkv");
            Path unpaused = dir.resolve("straight.mkv");
            client.download(job.id(), paused);
            client.download(straight.id(), unpaused);
            List<byte[]> a = Videos.frames(paused);
            List<byte[]> b = Videos.frames(unpaused);
            assertEquals(125, a.size(), "every frame once");
            for (int i = 0; i < a.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(i), a.get(i), "frame " + i + " of the paused render differs");
            }
        }
    }

    private static List<String> chunkObjects(ObjectStore bucket, String jobId) {
        return bucket.list("tenants/").stream().filter(key -> key.contains("/jobs/" + jobId + "/chunks/")).toList();
    }
}
