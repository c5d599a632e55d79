package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real stack: once a job has ended, nothing more of it is sent to workers (the dispatcher sends only running
 * jobs' chunks, one per free worker), and the offer in a worker's hands is skipped or stopped at its next frame, so
 * no worker renders work nobody will use.
 */
class StaleOfferTest {
    private static final int CHUNKS = 16;

    @TempDir
    Path dir;

    @Test
    void anEndedJobsChunksAreNoLongerSentAndTheOneInHandIsSkippedOrStopped() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            // 125 frames in chunks of 8: 16 offers, all queued for the only worker
            String jobId = client.submit(SharedFiles.media("face_2.mp4"), List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("mesh_swapper"), 8, "mkv")).id();
            Path log = farm.workers().get(0).log();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (count(log, "job=" + jobId + " chunk=", " frames=") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(count(log, "job=" + jobId + " chunk=", " frames=") >= 1, "a first chunk was rendered");

            // the job ends under the farm's feet (as a cancel or a failure elsewhere would end it)
            try (Connection db = DriverManager.getConnection(farm.jdbcUrl(), "postgres", "postgres");
                 PreparedStatement ps = db.prepareStatement("update jobs set state = 'FAILED', error = 'ended by the test' where id = ?")) {
                ps.setObject(1, UUID.fromString(jobId));
                assertEquals(1, ps.executeUpdate());
            }

            int before = count(log, "job=" + jobId + " chunk=", " frames=");
            // the chunk in hand is rendered before the fence arrives, stopped mid-chunk, or skipped; nothing else is sent
            Thread.sleep(8_000);
            int rendered = count(log, "job=" + jobId + " chunk=", " frames=");
            int stopped = count(log, "job=" + jobId + " chunk=", "no longer wanted");
            int skipped = count(log, "skipped the offer of job " + jobId, "its job has ended");
            assertTrue(rendered + stopped + skipped <= before + 2, "at most the offers already sent were handled after the end: " + before
                    + " rendered before, then rendered " + rendered + ", stopped " + stopped + ", skipped " + skipped);
            assertTrue(rendered < CHUNKS, "the ended job's remaining chunks were not rendered: " + rendered);
            assertEquals(null, client.workers().get(0).get("currentJob"), "the worker idles");
            assertEquals(JobState.FAILED, client.job(jobId).state());
        }
    }

    private static int count(Path log, String first, String second) throws Exception {
        return (int) Files.readAllLines(log).stream().filter(l -> l.contains(first) && l.contains(second)).count();
    }
}
