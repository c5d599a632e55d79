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
 * On the real stack: once a job has ended, its offers still queued in Kafka are skipped by the worker that gets them,
 * and the chunk it is rendering stops, instead of rendering work nobody will use.
 */
class StaleOfferTest {
    private static final int CHUNKS = 16;

    @TempDir
    Path dir;

    @Test
    void theOffersOfAnEndedJobAreSkippedAndItsRunningChunkStops() throws Exception {
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

            // every offer is handled exactly one way: rendered before the fence arrived, stopped mid-chunk, or skipped
            int rendered = 0;
            int stopped = 0;
            int skipped = 0;
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (rendered + stopped + skipped < CHUNKS && System.nanoTime() < deadline) {
                Thread.sleep(250);
                rendered = count(log, "job=" + jobId + " chunk=", " frames=");
                stopped = count(log, "job=" + jobId + " chunk=", "no longer wanted");
                skipped = count(log, "skipped the offer of job " + jobId, "its job has ended");
            }
            assertEquals(CHUNKS, rendered + stopped + skipped, "rendered " + rendered + ", stopped " + stopped + ", skipped " + skipped);
            assertTrue(skipped >= CHUNKS / 2, "most offers were skipped, not rendered: rendered " + rendered + ", stopped " + stopped + ", skipped "
                    + skipped);
            assertEquals(JobState.FAILED, client.job(jobId).state());
        }
    }

    private static int count(Path log, String first, String second) throws Exception {
        return (int) Files.readAllLines(log).stream().filter(l -> l.contains(first) && l.contains(second)).count();
    }
}
