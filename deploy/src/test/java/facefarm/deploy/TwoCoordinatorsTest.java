package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real stack: two coordinators serve one farm. One runs the singleton duties and the other stands by; jobs
 * submitted to either complete with every chunk offered once; when the first dies, the second takes the duties over.
 */
class TwoCoordinatorsTest {
    @TempDir
    Path dir;

    @Test
    void aSecondCoordinatorServesStandsByAndTakesOverTheDuties() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 2)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            LocalFarm.ExtraCoordinator second = farm.startExtraCoordinator("coordinator-2");
            awaitLog(second.process().log(), "another coordinator runs the farm's singleton duties");
            CoordinatorClient viaSecond = new CoordinatorClient(second.apiUrl(), farm.token());
            JobOptions options = new JobOptions(List.of("face_debugger"), 16, "mkv");

            JobStatus first = viaSecond.follow(viaSecond.submit(SharedFiles.media("face_2.mp4"), List.of(), options).id(), s -> { });
            assertEquals(JobState.DONE, first.state(), first.error());
            assertOfferedOnce(viaSecond, first);

            farm.coordinator().kill();
            awaitLog(second.process().log(), "this coordinator runs the farm's singleton duties");
            JobStatus after = viaSecond.follow(viaSecond.submit(SharedFiles.media("face_2.mp4"), List.of(), options).id(), s -> { });
            assertEquals(JobState.DONE, after.state(), after.error());
            assertEquals(125, after.framesTotal());
            assertOfferedOnce(viaSecond, after);
        }
    }

    private static void assertOfferedOnce(CoordinatorClient client, JobStatus job) {
        List<ChunkStatus> chunks = client.chunks(job.id());
        assertEquals(8, chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.attempts() == 1), "every chunk offered once: " + chunks);
    }

    private static void awaitLog(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(line))) {
            assertTrue(System.nanoTime() < deadline, "'" + line + "' in " + log);
            Thread.sleep(200);
        }
    }
}
