package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.worker.SharedFiles;
import facefarm.worker.storage.ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad submissions against the real coordinator, database and S3 server: a 4xx that says what is wrong, and nothing stored. */
class IngestValidationTest {
    @TempDir
    Path dir;

    @Test
    void badSubmissionsAreRefusedAndLeaveNothingBehind() throws Exception {
        Path video = SharedFiles.media("face_2.mp4");
        Path face = SharedFiles.media("astronaut.png");
        Path blank = dir.resolve("wall.png");
        try (Mat wall = new Mat(256, 256, opencv_core.CV_8UC3, new Scalar(180, 170, 160, 0))) {
            opencv_imgcodecs.imwrite(blank.toString(), wall);
        }
        Path text = Files.writeString(dir.resolve("clip.mp4"), "this is a shopping list, not a video\n".repeat(50));
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        byte[] whole = Files.readAllBytes(video);
        Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length / 4));
        Path notImage = Files.writeString(dir.resolve("face.png"), "no pixels here");

        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = new CoordinatorClient(farm.apiUrl());
            JobOptions ok = new JobOptions(List.of("face_debugger"), 16, "mp4");
            expect(client, text, face, ok, 400, "not a video");
            expect(client, empty, face, ok, 400, "empty");
            expect(client, truncated, face, ok, 400, "target 'truncated.mp4'");
            expect(client, video, blank, ok, 422, "no face found in source 'wall.png'");
            expect(client, video, notImage, ok, 400, "is not an image");
            expect(client, video, face, new JobOptions(List.of("warp_drive"), 16, "mp4"), 400, "unknown processor 'warp_drive'");
            expect(client, video, face, new JobOptions(null, 0, "mp4"), 400, "chunkFrames must be at least 1");
            expect(client, video, face, new JobOptions(null, 16, "mp4", AnalysisOptions.DEFAULTS.withSmoothingWindow(-1)), 400,
                    "smoothing window must be between 0 (off) and 12 frames each side, got -1");
            expect(client, video, face, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions("inswapper_129", null, 2f, null, null,
                    null, null, null, null, null, null, null, null, null)), 400, "unknown faceSwapperModel 'inswapper_129'");
            expect(client, video, face, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions(null, null, 2f, null, null,
                    null, null, null, null, null, null, null, null, null)), 400, "faceSwapperWeight must be from 0 to 1, got 2.0");
            expect(client, video, face, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions("inswapper_128", null, null, null,
                    null, null, null, null, null, null, null, null, null, null)), 403, "model 'inswapper_128' is licensed 'InsightFace Non-Commercial'");

            Path voice = SharedFiles.media("audio_1.wav");
            Path noise = Files.writeString(dir.resolve("voice.wav"), "RIFF but not really ".repeat(100));
            JobOptions lipSync = new JobOptions(List.of("lip_syncer"), 16, "mp4");
            expect(client, video, face, lipSync, 400, "lip_syncer needs the voice to sync to: add an 'audio' part");
            expect(client, video, face, new JobOptions(null, 16, "mp4", null, null, "extend", null), 400, "audioFit applies to a job with new audio");
            expect(client, video, face, new JobOptions(null, 16, "mp4", null, null, null, 25.0), 400,
                    "fps sets the frame rate of a video made from a still image; target 'face_2.mp4' is a video");
            expectWithAudio(client, video, List.of(face), noise, lipSync, 400, "audio 'voice.wav': the audio is not a file FFmpeg can read");
            expectWithAudio(client, video, List.of(face), face, lipSync, 400, "audio 'astronaut.png': the audio file has no audio stream");
            expectWithAudio(client, video, List.of(), voice, new JobOptions(List.of("mesh_swapper", "lip_syncer"), 16, "mp4"), 400,
                    "at least one 'source' part (a face image) is required");
            expectWithAudio(client, video, List.of(), voice, new JobOptions(null, 16, "mp4", null, null, "stretch", null), 400,
                    "audioFit must be one of [pad, trim, extend], got 'stretch'");
            expectWithAudio(client, video, List.of(), voice, new JobOptions(lipSync.processors(), 16, "mp4", null, new ProcessorOptions(null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, "edtalk_256", null, null)), 424, "edtalk_256");

            HttpResponse<String> malformed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/api/v1/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{nope\r\n--x--\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertTrue(malformed.body().contains("not valid JSON"), malformed.body());

            assertEquals(List.of(), client.jobs(), "no job was stored");
            try (ObjectStore store = new ObjectStore(s3Endpoint(farm), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
                assertEquals(List.of(), store.list("jobs/"), "no input was left in S3");
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/q/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> openapi = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/q/openapi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(openapi.body().contains("/api/v1/jobs/{id}/events"), "the API is documented");
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
        }
    }

    @Test
    void aMissingModelIsAClearErrorNamingTheModel() throws Exception {
        Path emptyModels = Files.createDirectories(dir.resolve("no-models"));
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home2"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", emptyModels.toString(), "FARM_OFFLINE", "1", "FARM_MODEL_CACHE", emptyModels.toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = new CoordinatorClient(farm.apiUrl());
            CoordinatorClient.ApiException e = assertThrows(CoordinatorClient.ApiException.class, () -> client.submit(SharedFiles.media("face_2.mp4"),
                    List.of(SharedFiles.media("astronaut.png")), new JobOptions(null, null, null)));
            assertEquals(424, e.status());
            assertTrue(e.getMessage().contains("yunet_2023_mar") && e.getMessage().contains(emptyModels.toString()), e.getMessage());
            assertEquals(List.of(), client.jobs());
        }
    }

    private static void expect(CoordinatorClient client, Path target, Path source, JobOptions options, int status, String message) {
        expectWithAudio(client, target, List.of(source), null, options, status, message);
    }

    private static void expectWithAudio(CoordinatorClient client, Path target, List<Path> sources, Path audio, JobOptions options, int status,
                                        String message) {
        CoordinatorClient.ApiException e = assertThrows(CoordinatorClient.ApiException.class, () -> client.submit(target, sources, audio, options));
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' should say '" + message + "'");
    }

    private static String s3Endpoint(LocalFarm farm) {
        return farm.s3Endpoint();
    }
}
