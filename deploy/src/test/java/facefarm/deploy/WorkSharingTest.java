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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real stack: a job's chunks are shared evenly between equal workers, so none idles while another has a queue. */
class WorkSharingTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersRenderHalfTheChunksEach() {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 2)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            // submitted at once after start: the coordinator must already route by the workers' assignment
            JobStatus job = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 10, "mkv")).id(),
                    s -> { });
            assertEquals(JobState.DONE, job.state(), job.error());
            List<ChunkStatus> chunks = client.chunks(job.id());
            assertEquals(13, chunks.size());
            Map<String, Long> perWorker = new TreeMap<>(chunks.stream().collect(Collectors.groupingBy(ChunkStatus::workerId, Collectors.counting())));
            assertEquals(List.of("worker-1", "worker-2"), List.copyOf(perWorker.keySet()), "both workers rendered: " + perWorker);
            long most = perWorker.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            long least = perWorker.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            // workers pull chunks as they free up, and the one that prepared the job starts with its models loaded while
            // the other loads them on its first chunk (a second or two, several of these 0.3 s chunks): 7/6 up to 8/5
            assertTrue(most - least <= 3, "13 chunks shared about evenly between two workers (at least 5 each), not " + perWorker);
        }
    }
}
