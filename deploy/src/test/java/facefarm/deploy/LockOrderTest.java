package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.StageTimings;
import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import facefarm.worker.messaging.EventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real stack: event handling and the reaper work on the same attempts at once, for a while, and PostgreSQL
 * detects no deadlock. The reaper times out attempts silent for 1 s while a worker's events start and fail the same
 * attempts, so both take the job, chunk and attempt locks of the same rows, again and again.
 */
class LockOrderTest {
    private static final String WORKER = "lock-test-worker";

    @TempDir
    Path dir;

    @Test
    void eventHandlingAndTheReaperNeverDeadlock() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 0)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(15))
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_RETRY_BACKOFF", "0s", "FARM_MAX_ATTEMPTS", "100000"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             EventPublisher worker = new EventPublisher(farm.kafkaBootstrap(), WORKER);
             Connection db = DriverManager.getConnection(farm.jdbcUrl(), "postgres", "postgres")) {
            CoordinatorClient client = farm.client();
            String job = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 8, "mkv")).id();
            PrepareTask prepare = FencingAndRetryTest.nextTask(farm, PrepareTask.class);
            worker.taskEventDurably(new TaskEvent(TaskEvent.Kind.COMPLETED, TaskEvent.Task.PREPARE, job, prepare.attemptId(), WORKER,
                    FencingAndRetryTest.prepared(1600, 8), null, null));
            assertEquals(JobState.RUNNING, client.follow(job, s -> { }, s -> s.state() != JobState.PREPARING).state());
            long deadlocksBefore = deadlocks(db);

            Random random = new Random(4);
            long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            int sent = 0;
            while (System.nanoTime() < end) {
                // the coordinator hears from a worker, so the reaper times out what goes silent
                worker.heartbeat(new WorkerHeartbeat(WORKER, "test", "cpu", List.of(), 0, null, null, null, 0, List.of(), null, List.of(), false), () -> { });
                for (String[] attempt : liveAttempts(db, job)) {
                    // offered ones are started; of the running ones a third fail by event, the rest go silent for the reaper
                    int chunk = Integer.parseInt(attempt[1]);
                    boolean offered = attempt[2].equals("OFFERED");
                    if (!offered && random.nextInt(3) != 0) {
                        continue;
                    }
                    ChunkEvent.Kind kind = offered ? ChunkEvent.Kind.STARTED : ChunkEvent.Kind.FAILED;
                    worker.chunkEvent(new ChunkEvent(kind, job, chunk, attempt[0], WORKER, 0, 8, 0, null, StageTimings.ZERO,
                            kind == ChunkEvent.Kind.FAILED ? "failed by the lock test" : null));
                    sent++;
                }
                Thread.sleep(500);
            }

            long timedOut = count(db, job, "TIMED_OUT");
            long failed = count(db, job, "FAILED");
            assertTrue(timedOut >= 50 && failed >= 50, "both paths worked the same attempts: " + timedOut + " timed out by the reaper, " + failed
                    + " failed by events (" + sent + " events sent)");
            // the statistics reach pg_stat_database within half a second
            Thread.sleep(1_000);
            assertEquals(deadlocksBefore, deadlocks(db), "PostgreSQL detected a deadlock");
            String log = Files.readString(farm.coordinator().log());
            assertTrue(!log.contains("deadlock") && !log.contains("dead-letter"), "no deadlock and no event dead-lettered");
        }
    }

    private static List<String[]> liveAttempts(Connection db, String job) throws Exception {
        List<String[]> live = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select a.id, a.chunk_idx, a.state from attempts a join chunks c "
                + "on c.current_attempt = a.id where a.job_id = '" + job + "' and a.state in ('OFFERED', 'RUNNING') limit 100")) {
            while (rs.next()) {
                live.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return live;
    }

    private static long count(Connection db, String job, String state) throws Exception {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from attempts where job_id = '" + job + "' and state = '" + state + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long deadlocks(Connection db) throws Exception {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select deadlocks from pg_stat_database where datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
