package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.TaskStatus;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.ChildProcess;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.media.FrameReader;
import facefarm.worker.pipeline.ChunkPipeline;
import facefarm.worker.processors.FaceDebugger;
import facefarm.worker.tracking.TrackSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker killed in the middle of a chunk, on the real stack: the chunk is re-offered and the job still comes out whole. */
class FarmFailureTest {
    @TempDir
    Path dir;

    @Test
    void killedWorkerChunkIsReofferedAndTheJobCompletesWithExactlyNFrames() throws Exception {
        Path target = SharedFiles.media("face_2.mp4");
        Path source = SharedFiles.media("astronaut.png");
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 2)
                // the coordinator notices the silence (5 s) well before Kafka hands the dead worker's partitions on (20 s)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString())).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.follow(client.submit(target, List.of(source), new JobOptions(List.of("face_debugger"), 100, "mkv")).id(), s -> { },
                    s -> s.state() != JobState.PREPARING);
            assertEquals(2, job.chunksTotal());

            // a 100-frame chunk seen before frame 40 has seconds left to run: the kill lands mid-chunk
            ChunkStatus victim = chunkMidway(farm, job.id());
            String workerId = victim.workerId();
            ChildProcess worker = farm.workers().stream().filter(w -> w.name().equals(workerId)).findFirst().orElseThrow();
            worker.kill();

            JobStatus done = client.follow(job.id(), s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            int index = victim.index();
            List<ChunkStatus> all = chunks(farm, job.id());
            // the default smoothing window (3) reads 10 frames back and 7 ahead along a track: each chunk decodes that much more
            assertEquals(new FrameRange(0, 107), all.get(0).decoded(), "the first chunk looks ahead into the second");
            assertEquals(new FrameRange(90, 125), all.get(1).decoded(), "the second warms up on the first's last frames");
            ChunkStatus retried = all.get(index);
            assertTrue(retried.attempts() >= 2, "chunk " + index + " was re-offered after its worker died: " + retried);
            assertTrue(!workerId.equals(retried.workerId()), "a surviving worker finished chunk " + index);

            assertEqualsOnePass(client, job.id(), target, dir.resolve("out.mkv"));
        }
    }

    @Test
    void aWorkerStoppedWithSigtermHandsItsChunkBackAndTheChunkIsOfferedAgainAtOnce() throws Exception {
        Path target = SharedFiles.media("face_2.mp4");
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home-sigterm"), 2)
                // neither the heartbeat timeout nor Kafka's session timeout can be what brings the chunk back in time
                .withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(60))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString())).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.follow(client.submit(target, List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("face_debugger"), 100, "mkv")).id(), s -> { }, s -> s.state() != JobState.PREPARING);
            ChunkStatus victim = chunkMidway(farm, job.id());
            String workerId = victim.workerId();
            ChildProcess worker = farm.workers().stream().filter(w -> w.name().equals(workerId)).findFirst().orElseThrow();

            long stoppedAt = System.nanoTime();
            worker.close();
            long stopSeconds = Duration.ofNanos(System.nanoTime() - stoppedAt).toSeconds();
            assertTrue(!worker.isAlive(), "the worker exits on SIGTERM");
            assertTrue(stopSeconds < 20, "the worker stopped in " + stopSeconds + " s");
            ChunkStatus reoffered = null;
            while (System.nanoTime() - stoppedAt < Duration.ofSeconds(30).toNanos()) {
                int index = victim.index();
                ChunkStatus now = chunks(farm, job.id()).get(index);
                if (now.attempts() >= 2) {
                    reoffered = now;
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(reoffered != null, "chunk " + victim.index() + " was not offered again within 30 s of the SIGTERM, so it waited for a timeout\n"
                    + worker.logTail(20));
            assertTrue(worker.logTail(40).contains("handed back"), "the worker says it handed the chunk back:\n" + worker.logTail(20));

            JobStatus done = client.follow(job.id(), s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            ChunkStatus finished = chunks(farm, job.id()).get(victim.index());
            assertEquals(2, finished.attempts(), "one hand-back, one finished attempt: " + finished);
            assertTrue(!workerId.equals(finished.workerId()), "the surviving worker finished chunk " + victim.index());
            assertEqualsOnePass(client, job.id(), target, dir.resolve("sigterm.mkv"));
        }
    }

    @Test
    void aWorkerKilledDuringThePrepareTaskIsReplacedAndTheJobCompletes() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home-prepare"), 1)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString())).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.submit(SharedFiles.media("face_4.mp4"), List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("face_debugger"), 100, "mkv"));
            assertEquals(JobState.PREPARING, job.state());
            TaskStatus running = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (running == null && System.nanoTime() < deadline) {
                running = client.tasks(job.id()).stream().filter(t -> t.state() == AttemptState.RUNNING).findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertTrue(running != null, "the prepare task was never seen running");
            assertEquals("prepare", running.task());
            farm.workers().get(0).kill();
            farm.startWorker("worker-2");

            JobStatus done = client.follow(job.id(), s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            assertEquals(199, done.framesTotal());
            List<TaskStatus> prepares = client.tasks(job.id()).stream().filter(t -> t.task().equals("prepare")).toList();
            assertEquals(AttemptState.TIMED_OUT, prepares.get(0).state(), "the killed worker's attempt went silent: " + prepares);
            assertEquals(AttemptState.COMPLETED, prepares.get(prepares.size() - 1).state());
            assertEquals("worker-2", prepares.get(prepares.size() - 1).workerId());
            Path output = dir.resolve("prepared.mkv");
            client.download(job.id(), output);
            assertEquals(199, Videos.frames(output).size());
        }
    }

    /** A chunk seen running on a worker before its frame 40, so that what happens to its worker lands mid-chunk. */
    private static ChunkStatus chunkMidway(LocalFarm farm, String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (ChunkStatus chunk : chunks(farm, jobId)) {
                if (chunk.state() == ChunkState.RUNNING && chunk.workerId() != null && chunk.framesDone() > 0 && chunk.framesDone() < 40) {
                    return chunk;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no chunk was seen mid-way on a worker");
    }

    /** The job's output is exactly the one-pass render: N frames, none duplicated, lost or reordered. */
    private static void assertEqualsOnePass(CoordinatorClient client, String jobId, Path target, Path output) {
        client.download(jobId, output);
        List<byte[]> rendered = Videos.frames(output);
        List<byte[]> expected = onePass(target, 125);
        assertEquals(125, rendered.size(), "exactly N frames");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), rendered.get(i), "frame " + i + " is not the one-pass frame: duplicated, lost or reordered");
        }
    }

    private static List<ChunkStatus> chunks(LocalFarm farm, String jobId) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(farm.apiUrl() + "/api/v1/jobs/" + jobId + "/chunks"))
                        .header("Authorization", "Bearer " + farm.token()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return facefarm.common.messaging.Messages.JSON.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<List<ChunkStatus>>() { });
    }

    /** The same chain run in this JVM over the whole clip, in one pass. */
    private static List<byte[]> onePass(Path video, long frames) {
        ModelStore models = new ModelStore(ModelManifest.bundled(), List.of(SharedFiles.modelsDir()), SharedFiles.modelsDir(), false);
        List<byte[]> out = new ArrayList<>();
        AnalysisOptions analysis = AnalysisSettings.resolve(null, models);
        try (FaceAnalyser analyser = FaceAnalyser.create(analysis, models, false);
             FrameReader reader = new FrameReader(video, new FrameRange(0, frames), Keyframe.FIRST)) {
            // frame by frame, while the workers analyse in batches: the results must not depend on batching
            FrameRange all = new FrameRange(0, frames);
            new ChunkPipeline(analyser, FaceSelector.of(analysis, null), TrackSettings.of(analysis.smoothingWindow()), List.of(new FaceDebugger()), 1)
                    .run(reader::next, all, all, (i, image) -> {
                byte[] bytes = new byte[(int) (image.total() * image.channels())];
                ((ByteBuffer) image.createBuffer()).get(bytes);
                out.add(bytes);
            }, done -> { }, new ChunkPipeline.Timings());
        }
        return out;
    }
}
