package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.AttemptStatus;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobAction;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.Scheduling;
import facefarm.common.jobs.StageTimings;
import facefarm.common.messaging.ChunkEvent;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.messaging.EventPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduling on the real embedded stack: priority order on a busy worker, required tags, the per-job blocklist and the
 * farm-wide quarantine of a failing worker, drain and release, and retries of a failed job and of one chunk.
 */
class SchedulingTest {
    private static final JobOptions DEBUG = new JobOptions(List.of("face_debugger"), 16, "mkv");

    @TempDir
    Path dir;

    @Test
    void aHighPriorityJobSubmittedBehindALongOneFinishesFirstOnOneWorker() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus feature = client.submit(SharedFiles.media("face_4.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 8, "mkv"));
            client.follow(feature.id(), s -> { }, s -> s.state() == JobState.RUNNING);
            JobStatus retake = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv")
                    .with(new Scheduling(90, null)));
            assertEquals(90, retake.placement().priority());
            retake = client.follow(retake.id(), s -> { });
            assertEquals(JobState.DONE, retake.state(), retake.error());
            JobStatus behind = client.job(feature.id());
            int featureDone = behind.chunks().getOrDefault(ChunkState.DONE, 0);
            assertTrue(behind.state() == JobState.RUNNING && featureDone < behind.chunksTotal(),
                    "the retake finished while the feature still had chunks to render: " + behind.chunks());

            // one chunk of the running feature rendered again, and its priority raised, as an operator does
            await(() -> client.chunks(feature.id()).get(0).state() == ChunkState.DONE, "chunk 0 of the feature is done");
            String firstAttempt = client.chunks(feature.id()).get(0).attemptId();
            assertEquals(JobState.RUNNING, client.retryChunk(feature.id(), 0).state());
            FarmCommand.Run raise = FarmCommand.run(dir, null, "priority", feature.id(), "95", "--api", farm.apiUrl());
            assertEquals(0, raise.exit(), raise.stdout() + raise.stderr());
            assertTrue(raise.stdout().contains("priority by ") && raise.stdout().contains("(50 -> 95)"), raise.stdout());
            JobStatus done = client.follow(feature.id(), s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            ChunkStatus again = client.chunks(feature.id()).get(0);
            assertTrue(!again.attemptId().equals(firstAttempt) && again.attempts() == 2, "chunk 0 was rendered again: " + again);
            Path output = dir.resolve("feature.mkv");
            client.download(feature.id(), output);
            assertEquals(199, Videos.frames(output).size(), "every frame once, the retried chunk's included");
            assertEquals(List.of("submit", "retry-chunk", "priority"), client.history(feature.id()).stream().map(JobAction::action).toList());
            // each attempt's own lines, and only its own, are kept
            String log = client.attemptLog(feature.id(), 1, 1);
            assertTrue(log.contains("job=" + feature.id() + " chunk=1 ") && !log.contains("chunk=2 ") && !log.contains(retake.id()), log);
            AttemptStatus superseded = client.attempts(feature.id(), 0).get(0);
            assertEquals(AttemptState.COMPLETED, superseded.state());
            assertTrue(client.attemptLog(feature.id(), 0, 2).contains("job=" + feature.id() + " chunk=0 "), "the retried chunk's second attempt");
            System.err.printf("priority: the retake finished when the feature had %d of %d chunks done%n", featureDone, behind.chunksTotal());
            printDispatchGaps(client, feature.id());
        }
    }

    @Test
    void tagsBlocklistQuarantineDrainReleaseAndRetryOfAFailedJob() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_WORKER_TAGS", "pool=studio-a", "FARM_MAX_ATTEMPTS", "4",
                        "FARM_SCHEDULING_QUARANTINE_FAILURES", "4", "FARM_RETRY_BACKOFF", "1s"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             ObjectStore bucket = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm");
             FaultyWorker faulty = new FaultyWorker(farm.kafkaBootstrap(), bucket, "bad-worker", List.of("provider=cpu"))) {
            CoordinatorClient client = farm.client();
            await(() -> worker(client, "bad-worker") != null, "the faulty worker is heard from");
            assertTrue(((List<?>) worker(client, "worker-1").get("tags")).contains("pool=studio-a"), "tags advertised: " + worker(client, "worker-1"));

            // a job that needs pool=studio-a runs only on the worker that has it
            JobStatus tagged = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG.with(new Scheduling(null, List.of("pool=studio-a"))))
                    .id(), s -> { });
            assertEquals(JobState.DONE, tagged.state(), tagged.error());
            assertEquals(0, faulty.failed(), "the untagged worker got none of its chunks");
            assertEquals(Map.of("worker-1", 8L), workersOf(client, tagged.id()));

            // one no live worker can serve says why instead of waiting silently
            JobStatus nowhere = client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG.with(new Scheduling(null, List.of("gpu=a100"))));
            String why = client.follow(nowhere.id(), s -> { }, s -> s.placement().waitingFor() != null).placement().waitingFor();
            assertTrue(why.contains("requires gpu=a100") && why.contains("worker-1 lacks gpu=a100") && why.contains("bad-worker lacks gpu=a100"), why);
            client.cancel(nowhere.id());

            // the failing worker is blocklisted for a job after 3 failures; the job completes on the other worker
            JobStatus blocklisted = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG).id(), s -> { });
            assertEquals(JobState.DONE, blocklisted.state(), blocklisted.error());
            assertEquals(3, faulty.failed(), "it failed the job's chunks until it was blocklisted");
            assertEquals(List.of("bad-worker"), blocklisted.placement().blocklistedWorkers());
            assertEquals(Map.of("worker-1", 8L), workersOf(client, blocklisted.id()));
            assertEquals("IN_SERVICE", worker(client, "bad-worker").get("state"), "3 failures do not quarantine it (4 do)");
            AttemptStatus failedAttempt = java.util.stream.IntStream.range(0, 8).boxed().flatMap(k -> client.attempts(blocklisted.id(), k).stream())
                    .filter(a -> a.state() == AttemptState.FAILED).findFirst().orElseThrow();
            assertEquals("bad-worker", failedAttempt.workerId());
            assertEquals("bad-worker", failedAttempt.assignedWorker());
            assertTrue(failedAttempt.logTail() != null && failedAttempt.logTail().endsWith("CUDA error 700: an illegal memory access was encountered"),
                    "a failure shows its log's last lines: " + failedAttempt);

            // its 4th failure, on the next job, quarantines it farm-wide
            JobStatus next = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG).id(), s -> { });
            assertEquals(JobState.DONE, next.state(), next.error());
            assertEquals(4, faulty.failed());
            Map<String, Object> quarantined = worker(client, "bad-worker");
            assertEquals("QUARANTINED", quarantined.get("state"));
            assertTrue(String.valueOf(quarantined.get("quarantineReason")).contains("4 failures within 10 min"), quarantined.toString());

            // an operator releases it, drains both workers (the job waits and says so), then releases the good one
            FarmCommand.Run release = FarmCommand.run(dir, null, "release", "bad-worker", "--api", farm.apiUrl());
            assertEquals(0, release.exit(), release.stdout() + release.stderr());
            assertTrue(release.stdout().contains("bad-worker  IN_SERVICE"), release.stdout());
            assertEquals(0L, ((Number) worker(client, "bad-worker").get("failures")).longValue(), "a release forgets its failures");
            for (String worker : List.of("bad-worker", "worker-1")) {
                FarmCommand.Run drain = FarmCommand.run(dir, null, "drain", worker, "--api", farm.apiUrl());
                assertTrue(drain.exit() == 0 && drain.stdout().contains(worker + "  DRAINED"), drain.stdout() + drain.stderr());
            }
            JobStatus held = client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG);
            why = client.follow(held.id(), s -> { }, s -> s.placement().waitingFor() != null).placement().waitingFor();
            assertTrue(why.contains("worker-1 drained") && why.contains("bad-worker drained"), why);
            client.worker("worker-1", "release");
            assertEquals(JobState.DONE, client.follow(held.id(), s -> { }).state());
            assertEquals(4, faulty.failed(), "a drained worker gets no chunks");

            retryOfAFailedJobRendersOnlyItsMissingChunks(farm, client);
            everyMetricTheGrafanaDashboardGraphsIsExposed(farm);
        }
    }

    /** Each metric the dashboard in deploy/grafana queries is on /q/metrics, once the farm has rendered, failed and retried. */
    private static void everyMetricTheGrafanaDashboardGraphsIsExposed(LocalFarm farm) throws Exception {
        String dashboard = java.nio.file.Files.readString(Path.of("grafana", "facefarm-dashboard.json"));
        java.util.Set<String> graphed = new java.util.TreeSet<>();
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("farm_[a-z_]+").matcher(dashboard);
        while (names.find()) {
            graphed.add(names.group());
        }
        assertTrue(graphed.size() >= 10, "the dashboard graphs the farm's metrics: " + graphed);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.Set<String> missing = graphed;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            String exposed = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(farm.apiUrl() + "/q/metrics"))
                    .header("Authorization", "Bearer " + farm.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            missing = graphed.stream().filter(name -> !java.util.regex.Pattern.compile("(?m)^" + name + "[{ ]").matcher(exposed).find())
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            Thread.sleep(1000);
        }
        assertEquals(java.util.Set.of(), missing, "graphed by deploy/grafana/facefarm-dashboard.json but not exposed");
    }

    /** A job fails with some chunks done (worker-1 drained, its chunk failed 4 times); its retry renders only the others. */
    private void retryOfAFailedJobRendersOnlyItsMissingChunks(LocalFarm farm, CoordinatorClient client) throws Exception {
        JobStatus job = client.submit(SharedFiles.media("face_2.mp4"), List.of(), DEBUG);
        await(() -> client.chunks(job.id()).stream().filter(c -> c.state() == ChunkState.DONE).count() >= 2, "two chunks done");
        client.worker("worker-1", "drain");
        await(() -> client.chunks(job.id()).stream().noneMatch(c -> c.state() == ChunkState.RUNNING), "the drained worker finished its chunk");
        Map<Integer, String> doneBefore = client.chunks(job.id()).stream().filter(c -> c.state() == ChunkState.DONE)
                .collect(Collectors.toMap(ChunkStatus::index, ChunkStatus::attemptId));
        int victim = client.chunks(job.id()).stream().filter(c -> c.state() == ChunkState.OFFERED).findFirst().orElseThrow().index();
        try (EventPublisher broken = new EventPublisher(farm.kafkaBootstrap(), "bad-worker")) {
            // each failure makes a new current attempt; failing every one ends the chunk's budget (4) and the job
            String failedAttempt = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (client.job(job.id()).state() != JobState.FAILED && System.nanoTime() < deadline) {
                String current = client.chunks(job.id()).get(victim).attemptId();
                if (!current.equals(failedAttempt)) {
                    broken.chunkEventDurably(new ChunkEvent(ChunkEvent.Kind.FAILED, job.id(), victim, current, "bad-worker", 0, 16, 0, null,
                            StageTimings.ZERO, "simulated fault: decoder crashed"));
                    failedAttempt = current;
                }
                Thread.sleep(100);
            }
        }
        JobStatus failed = client.follow(job.id(), s -> { });
        assertEquals(JobState.FAILED, failed.state());
        client.worker("worker-1", "release");

        FarmCommand.Run retry = FarmCommand.run(dir, null, "retry", job.id(), "--api", farm.apiUrl());
        assertEquals(0, retry.exit(), retry.stdout() + retry.stderr());
        int rerun = 8 - doneBefore.size();
        assertTrue(retry.stdout().contains("retry by ") && retry.stdout().contains("was FAILED; " + rerun + " of 8 chunks to render again"), retry.stdout());
        JobStatus done = client.follow(job.id(), s -> { });
        assertEquals(JobState.DONE, done.state(), done.error());
        assertEquals(1, done.placement().retries());
        List<ChunkStatus> chunks = client.chunks(job.id());
        doneBefore.forEach((index, attempt) -> assertEquals(attempt, chunks.get(index).attemptId(), "chunk " + index + " was kept, not rendered again"));
        Path output = dir.resolve("retried.mkv");
        client.download(job.id(), output);
        assertEquals(125, Videos.frames(output).size(), "every frame once");
    }

    /** The one worker's idle time between one chunk's end and the next one's start: what dispatch by the coordinator costs. */
    private static void printDispatchGaps(CoordinatorClient client, String jobId) {
        List<AttemptStatus> ran = client.attempts(jobId).stream().filter(a -> a.times().startedAt() != null && a.times().finishedAt() != null)
                .sorted(java.util.Comparator.comparing(a -> a.times().startedAt())).toList();
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < ran.size(); i++) {
            long gap = Duration.between(ran.get(i - 1).times().finishedAt(), ran.get(i).times().startedAt()).toMillis();
            if (gap >= 0 && gap < 5_000) {
                gaps.add(gap);
            }
        }
        java.util.Collections.sort(gaps);
        double chunkSeconds = ran.stream().mapToLong(a -> Duration.between(a.times().startedAt(), a.times().finishedAt()).toMillis()).average().orElse(0) / 1000;
        System.err.printf("dispatch: %d gaps between one worker's chunks, median %d ms, 90th percentile %d ms (chunks of 8 frames took %.2f s)%n",
                gaps.size(), gaps.get(gaps.size() / 2), gaps.get(gaps.size() * 9 / 10), chunkSeconds);
    }

    private static Map<String, Object> worker(CoordinatorClient client, String id) {
        return client.workers().stream().filter(w -> id.equals(w.get("id"))).findFirst().orElse(null);
    }

    /** Which worker rendered each chunk of the job (its finished attempt's), counted by worker. */
    private static Map<String, Long> workersOf(CoordinatorClient client, String jobId) {
        return client.chunks(jobId).stream().collect(Collectors.groupingBy(ChunkStatus::workerId, Collectors.counting()));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
