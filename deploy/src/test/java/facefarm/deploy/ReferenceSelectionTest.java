package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.ModelUse;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference face selection across chunks on the real farm: the coordinator finds the reference face once, every chunk
 * selects with its embedding, and the job records its models and licences. An identity model with ArcFace's contract
 * (MobileFaceNet, the real weights here) stands in for arcface_w600k_r50.
 */
class ReferenceSelectionTest {
    @TempDir
    Path dir;

    private static AnalysisOptions distance(float distance) {
        return new AnalysisOptions(null, null, null, null, null, null, null, null, null, null, null, distance, null);
    }

    @Test
    void everyChunkSelectsTheReferencePersonAndTheJobRecordsItsModels() throws Exception {
        Path arcface = Files.createDirectories(dir.resolve("arcface"));
        Files.copy(SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"), arcface.resolve("arcface_w600k_r50.onnx"));
        Path target = SharedFiles.media("face_2.mp4");
        Path source = SharedFiles.media("astronaut.png");
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 2).withEnv(Map.of(
                "FARM_MODEL_PATH", SharedFiles.modelsDir() + ":" + arcface, "FARM_OFFLINE", "1", "FARM_ACCEPT_LICENSES", "arcface_w600k_r50")).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus selected = client.follow(client.submit(target, List.of(source), new JobOptions(List.of("face_debugger"), 32, "mkv")).id(), s -> { });
            assertEquals(JobState.DONE, selected.state(), selected.error());
            assertEquals(4, selected.chunksTotal());
            assertEquals("reference", selected.analysis().faceSelectorMode(), "the recogniser is installed and licensed: FaceFusion's default");
            assertEquals("yunet", selected.analysis().faceDetectorModel());
            assertEquals(List.of(new ModelUse("yunet_2023_mar", "yunet_2023_mar.onnx", "MIT", true),
                    new ModelUse("arcface_w600k_r50", "arcface_w600k_r50.onnx", "InsightFace Non-Commercial", false)), selected.models());

            // distance 0 matches nobody: the same job draws nothing, so every frame is the target's own
            JobStatus nobody = client.follow(client.submit(target, List.of(source), new JobOptions(List.of("face_debugger"), 32, "mkv",
                    distance(0f))).id(), s -> { });
            assertEquals(JobState.DONE, nobody.state(), nobody.error());

            Path drawn = dir.resolve("drawn.mkv");
            Path untouched = dir.resolve("untouched.mkv");
            client.download(selected.id(), drawn);
            client.download(nobody.id(), untouched);
            List<byte[]> original = Videos.frames(target);
            List<byte[]> withBoxes = Videos.frames(drawn);
            List<byte[]> without = Videos.frames(untouched);
            assertEquals(original.size(), withBoxes.size());
            assertEquals(original.size(), without.size());
            for (int i = 0; i < original.size(); i++) {
                assertFalse(Arrays.equals(original.get(i), withBoxes.get(i)), "frame " + i + ": the reference person is selected and drawn");
                assertArrayEquals(original.get(i), without.get(i), "frame " + i + ": nobody selected, nothing drawn");
            }

            expectFailed(client, target, source, new AnalysisOptions("scrfd", null, null, null, null, null, null, null, null, null, null, null, null),
                    403, "licence", "--accept-license scrfd_2.5g");
            expectFailed(client, target, source, new AnalysisOptions(null, null, null, null, null, null, null, null, null, null, null, null, 5000L),
                    400, "reference", "reference frame number 5000 is past the end of target 'face_2.mp4' (125 frames");
            expect(client, target, source, new AnalysisOptions("yunet", 320, null, null, null, "dlib", null, null, null, null, null, null, null),
                    400, "face detector 'yunet' takes sizes [640], not 320; unknown face landmarker 'dlib'");
            assertEquals(4, client.jobs().size(), "the two refused by their checks are stored as FAILED; the one refused by the POST is not");
        }
    }

    /** Accepted by the POST, refused by the worker's checks: the job fails with the check, its status and message. */
    private static void expectFailed(CoordinatorClient client, Path target, Path source, AnalysisOptions analysis, int status, String check,
                                     String message) {
        JobStatus job = client.follow(client.submit(target, List.of(source), new JobOptions(List.of("face_debugger"), 32, "mkv", analysis)).id(), s -> { });
        assertEquals(JobState.FAILED, job.state());
        assertEquals(status, job.failure().status(), job.failure().toString());
        assertEquals(check, job.failure().check());
        assertTrue(job.failure().message().contains(message), "'" + job.failure().message() + "' should say '" + message + "'");
    }

    private static void expect(CoordinatorClient client, Path target, Path source, AnalysisOptions analysis, int status, String message) {
        CoordinatorClient.ApiException e = assertThrows(CoordinatorClient.ApiException.class,
                () -> client.submit(target, List.of(source), new JobOptions(List.of("face_debugger"), 32, "mkv", analysis)));
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' should say '" + message + "'");
    }
}
