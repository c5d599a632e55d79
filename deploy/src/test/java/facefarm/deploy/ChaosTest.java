package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.ChildProcess;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.Supervisor;
import facefarm.worker.SharedFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real embedded stack, while real jobs render, a seeded schedule of faults: SIGKILL a worker, SIGKILL the
 * coordinator, restart the broker, stop S3 for 10 s, restart PostgreSQL. Every job must end DONE with every frame equal
 * to a fault-free render (lossless FFV1), no attempt of a live worker may be timed out, and no chunk may use more than
 * its retry budget. {@code -Dchaos.faults=100} runs a longer schedule ({@code -Dchaos.seed} picks another).
 */
class ChaosTest {
    private static final int FAULTS = Integer.getInteger("chaos.faults", 20);
    private static final long SEED = Long.getLong("chaos.seed", 14);
    private static final int MAX_ATTEMPTS = 5;

    enum Fault { KILL_WORKER, KILL_COORDINATOR, RESTART_BROKER, S3_OUTAGE, RESTART_POSTGRES }

    /** A worker killed at {@code at}: an attempt of it that was running then may be timed out, no other. */
    private record Kill(String worker, Instant at) {
    }

    @TempDir
    Path dir;

    @Test
    void everyJobEndsDoneAndExactUnderASeededScheduleOfFaults() throws Exception {
        // kept under target/ so the logs of a failed run can be read
        Path home = Path.of("target/chaos-home").toAbsolutePath();
        LocalFarm.deleteTree(home);
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(home, 2)
                .with(new LocalFarm.Lifecycle(false, true))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS),
                        "FARM_RETRY_BACKOFF", "3s")).withEnv(Videos.UNMARKED);
        Path target = SharedFiles.media("face_2.mp4");
        JobOptions options = new JobOptions(List.of("mesh_swapper"), 16, "mkv");
        List<Path> sources = List.of(SharedFiles.media("astronaut.png"));
        long started = System.nanoTime();
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            String referenceId = client.submit(target, sources, options).id();
            assertEquals(JobState.DONE, await(client, referenceId).state(), "the fault-free render");
            Path referenceFile = dir.resolve("reference.mkv");
            client.download(referenceId, referenceFile);
            List<byte[]> reference = Videos.frames(referenceFile);

            List<String> jobs = new CopyOnWriteArrayList<>();
            List<Kill> kills = new CopyOnWriteArrayList<>();
            Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
            Map<String, Boolean> submitting = new ConcurrentHashMap<>();
            // keeps two jobs in flight while the faults come
            Thread submitter = new Thread(() -> {
                while (!submitting.containsKey("stop")) {
                    try {
                        long open = jobs.stream().filter(id -> !terminal(client, id)).count();
                        if (open < 2) {
                            jobs.add(client.submit(target, sources, options).id());
                        }
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the coordinator is down: submit again in a moment
                        sleep(1_000);
                    }
                }
            }, "chaos-submitter");
            submitter.start();

            Random random = new Random(SEED);
            for (int i = 0; i < FAULTS; i++) {
                sleep(2_000 + random.nextInt(4_000));
                Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
                injected.merge(fault, 1, Integer::sum);
                java.nio.file.Files.writeString(home.resolve("logs/faults.log"), Instant.now() + " fault " + (i + 1) + "/" + FAULTS + ": " + fault + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                switch (fault) {
                    case KILL_WORKER -> {
                        ChildProcess worker = farm.workers().get(random.nextInt(farm.workers().size()));
                        kills.add(new Kill(worker.name(), Instant.now()));
                        worker.kill();
                    }
                    case KILL_COORDINATOR -> farm.coordinator().kill();
                    case RESTART_BROKER -> farm.restartKafka();
                    case S3_OUTAGE -> farm.interruptS3(Duration.ofSeconds(10));
                    case RESTART_POSTGRES -> farm.restartPostgres();
                }
            }
            submitting.put("stop", true);
            submitter.join();

            for (String id : jobs) {
                JobStatus job = await(client, id);
                assertEquals(JobState.DONE, job.state(), "job " + id + ": " + job.error());
                assertEquals(reference.size(), job.framesTotal());
                Path output = dir.resolve(id + ".mkv");
                client.download(id, output);
                List<byte[]> frames = Videos.frames(output);
                assertEquals(reference.size(), frames.size(), "job " + id + " frames");
                for (int f = 0; f < frames.size(); f++) {
                    assertArrayEquals(reference.get(f), frames.get(f), "job " + id + " frame " + f + " differs from the fault-free render");
                }
            }

            int timedOut = 0;
            int lost = 0;
            int maxAttempts = 0;
            try (Connection db = DriverManager.getConnection(farm.jdbcUrl(), "postgres", "postgres"); Statement st = db.createStatement()) {
                try (ResultSet rs = st.executeQuery("select worker_id, offered_at, finished_at, state from attempts "
                        + "where state in ('TIMED_OUT', 'FAILED') union all select worker_id, offered_at, finished_at, state from tasks "
                        + "where state in ('TIMED_OUT', 'FAILED')")) {
                    while (rs.next()) {
                        lost++;
                        if (!rs.getString("state").equals("TIMED_OUT") || rs.getString("worker_id") == null) {
                            continue;
                        }
                        timedOut++;
                        String worker = rs.getString("worker_id");
                        // from the offer on: the coordinator records the start when it handles the event, which may be after a kill
                        Instant from = rs.getTimestamp(2).toInstant().minusSeconds(1);
                        Instant to = rs.getTimestamp(3).toInstant();
                        assertTrue(kills.stream().anyMatch(k -> k.worker().equals(worker) && !k.at().isBefore(from) && !k.at().isAfter(to)),
                                "an attempt of " + worker + " (offered " + from + ", timed out " + to + ") was timed out while it was alive; kills: " + kills);
                    }
                }
                try (ResultSet rs = st.executeQuery("select coalesce(max(attempts), 0) from chunks")) {
                    rs.next();
                    maxAttempts = rs.getInt(1);
                }
            }
            assertTrue(maxAttempts <= MAX_ATTEMPTS, "a chunk used " + maxAttempts + " attempts");
            assertTrue(jobs.size() >= 2, "jobs rendered through the faults: " + jobs.size());

            Map<String, Supervisor.Record> supervision = farm.supervision();
            int restarts = supervision.values().stream().mapToInt(Supervisor.Record::restarts).sum();
            double minutes = (System.nanoTime() - started) / 60e9;
            // the figures the README quotes
            System.out.printf(java.util.Locale.ROOT, "chaos: %d faults %s in %.1f min (seed %d): %d jobs DONE and frame-exact, %d attempts lost "
                    + "(chunks and tasks; %d timed out, all of killed workers), max %d attempts per chunk, %d restarts by the supervisor %s%n", FAULTS, injected, minutes, SEED,
                    jobs.size(), lost, timedOut, maxAttempts, restarts, restartsOf(supervision));
        }
    }

    private static Map<String, Integer> restartsOf(Map<String, Supervisor.Record> supervision) {
        Map<String, Integer> restarts = new java.util.TreeMap<>();
        supervision.forEach((name, record) -> restarts.put(name, record.restarts()));
        return restarts;
    }

    private static boolean terminal(CoordinatorClient client, String id) {
        return client.job(id).state().isTerminal();
    }

    /** The job once it ends, asking again through coordinator restarts. */
    private static JobStatus await(CoordinatorClient client, String id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        List<String> errors = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try {
                JobStatus job = client.job(id);
                if (job.state().isTerminal()) {
                    return job;
                }
            } catch (RuntimeException e) {
                errors.add(e.getMessage());
            }
            sleep(500);
        }
        throw new AssertionError("job " + id + " did not end within 10 minutes; last errors " + errors.subList(Math.max(0, errors.size() - 3), errors.size()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
