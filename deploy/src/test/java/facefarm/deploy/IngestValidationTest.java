package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
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

/**
 * Bad submissions against the real coordinator, workers, database and S3 server: options are refused by the POST with
 * a 400; what needs the media or the models fails the job in its prepare task with the check's name, a 4xx-like
 * status and a message that says what to do, and leaves nothing in S3.
 */
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
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(),
                        // small ceilings, so that a test job reaches them
                        "FARM_LIMITS_MAX_SOURCES", "2", "FARM_LIMITS_MAX_FRAMES", "1000", "FARM_LIMITS_MAX_CHUNKS", "10"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobOptions ok = new JobOptions(List.of("face_debugger"), 16, "mp4");
            // the farm's limits, each named
            expectWithAudio(client, video, List.of(face, face, face), null, ok, 400, "a job takes at most 2 source images (farm.limits.max-sources), got 3");
            expect(client, video, face, new JobOptions(null, 4, "mp4"), 400, "chunkFrames must be at least 8 on this farm");
            failed(client, farm, video, List.of(face), null, new JobOptions(List.of("face_debugger"), 8, "mp4"), 413, "options",
                    "chunks of 8 frames make 16 chunks, above the farm's limit of 10 (farm.limits.max-chunks): use chunkFrames of at least 13");
            failed(client, farm, SharedFiles.media("happy.png"), List.of(face), SharedFiles.media("audio_1.wav"),
                    new JobOptions(List.of("face_debugger"), 200, "mp4", null, null, null, 240.0), 413, "options", "above the farm's limit of 1000");
            // what needs no media is refused by the POST itself
            expect(client, video, face, new JobOptions(List.of("warp_drive"), 16, "mp4"), 400, "unknown processor 'warp_drive'");
            expect(client, video, face, new JobOptions(null, 0, "mp4"), 400, "chunkFrames must be at least 1");
            expect(client, video, face, new JobOptions(null, 16, "mp4", AnalysisOptions.DEFAULTS.withSmoothingWindow(-1)), 400,
                    "smoothing window must be between 0 (off) and 12 frames each side, got -1");
            expect(client, video, face, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions("inswapper_129", null, 2f, null, null,
                    null, null, null, null, null, null, null, null, null)), 400, "unknown faceSwapperModel 'inswapper_129'");
            expect(client, video, face, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions(null, null, 2f, null, null,
                    null, null, null, null, null, null, null, null, null)), 400, "faceSwapperWeight must be from 0 to 1, got 2.0");
            expect(client, video, face, new JobOptions(null, 16, "mp4", null, null, "extend", null), 400, "audioFit applies to a job with new audio");
            expect(client, video, face, new JobOptions(null, 16, "mkv", null, null, null, null, 20_000_000L), 400, "videoBitrate applies to mp4");
            expect(client, video, face, new JobOptions(java.util.Arrays.asList("face_debugger", null), 16, "mp4"), 400, "processors has an empty entry");
            expect(client, blank, face, new JobOptions(null, 16, "mp4", null, null, null, 1e-9), 400, "fps must be from 0.1 to 240, got 1.0E-9");

            // what needs the media or the models fails the job in its prepare task, naming the check
            failed(client, farm, text, List.of(face), null, ok, 400, "target", "not a video");
            failed(client, farm, empty, List.of(face), null, ok, 400, "target", "empty");
            failed(client, farm, truncated, List.of(face), null, ok, 400, "target", "target 'truncated.mp4'");
            failed(client, farm, video, List.of(blank), null, ok, 422, "sources", "no face found in source 'wall.png'");
            failed(client, farm, video, List.of(notImage), null, ok, 400, "sources", "is not an image");
            failed(client, farm, video, List.of(hugePng(dir.resolve("poster.png"), 20_000, 20_000)), null, ok, 413, "sources",
                    "'poster.png' is 20000x20000, above the farm's largest picture");
            failed(client, farm, video, List.of(face), null, new JobOptions(List.of("face_swapper"), 16, "mp4", null, new ProcessorOptions("inswapper_128",
                    null, null, null, null, null, null, null, null, null, null, null, null, null)), 403, "licence",
                    "model 'inswapper_128' is licensed 'InsightFace Non-Commercial'");

            Path voice = SharedFiles.media("audio_1.wav");
            Path noise = Files.writeString(dir.resolve("voice.wav"), "RIFF but not really ".repeat(100));
            JobOptions lipSync = new JobOptions(List.of("lip_syncer"), 16, "mp4");
            failed(client, farm, video, List.of(face), null, lipSync, 400, "audio", "lip_syncer needs the voice to sync to: add an 'audio' part");
            failed(client, farm, video, List.of(face), null, new JobOptions(null, 16, "mp4", null, null, null, 25.0), 400, "options",
                    "fps sets the frame rate of a video made from a still image; target 'face_2.mp4' is a video");
            failed(client, farm, video, List.of(face), noise, lipSync, 400, "audio", "audio 'voice.wav': the audio is not a file FFmpeg can read");
            failed(client, farm, video, List.of(face), face, lipSync, 400, "audio", "audio 'astronaut.png': the audio file has no audio stream");
            failed(client, farm, video, List.of(), voice, new JobOptions(List.of("mesh_swapper", "lip_syncer"), 16, "mp4"), 400, "sources",
                    "at least one 'source' part (a face image) is required");
            expectWithAudio(client, video, List.of(), voice, new JobOptions(null, 16, "mp4", null, null, "stretch", null), 400,
                    "audioFit must be one of [pad, trim, extend], got 'stretch'");
            failed(client, farm, video, List.of(), voice, new JobOptions(lipSync.processors(), 16, "mp4", null, new ProcessorOptions(null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, "edtalk_256", null, null)), 424, "models", "edtalk_256");

            HttpResponse<String> malformed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/api/v1/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=x").header("Authorization", "Bearer " + farm.token())
                    .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{nope\r\n--x--\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertTrue(malformed.body().contains("not valid JSON"), malformed.body());

            assertTrue(client.jobs().stream().allMatch(j -> j.state() == JobState.FAILED), "the refused jobs are FAILED, with their reasons");
            try (ObjectStore store = new ObjectStore(s3Endpoint(farm), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
                assertEquals(List.of(), store.list("tenants/"), "no input of a refused job was left in S3");
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/q/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> openapi = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/q/openapi"))
                    .header("Authorization", "Bearer " + farm.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(openapi.body().contains("/api/v1/jobs/{id}/events"), "the API is documented");
        }
    }

    @Test
    void aMissingModelIsAClearErrorNamingTheModel() throws Exception {
        Path emptyModels = Files.createDirectories(dir.resolve("no-models"));
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home2"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", emptyModels.toString(), "FARM_OFFLINE", "1", "FARM_MODEL_CACHE", emptyModels.toString()));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.submit(SharedFiles.media("face_2.mp4"), List.of(SharedFiles.media("astronaut.png")), new JobOptions(null, null, null));
            JobStatus failed = client.follow(job.id(), s -> { });
            assertEquals(JobState.FAILED, failed.state());
            assertEquals(424, failed.failure().status());
            assertEquals("models", failed.failure().check());
            String message = failed.failure().message();
            assertTrue(message.contains("yunet_2023_mar") && message.contains(emptyModels.toString()), message);
        }
    }

    /** The POST is accepted (202, PREPARING); the prepare task fails the job with the status, check and message; nothing stays in S3. */
    private static void failed(CoordinatorClient client, LocalFarm farm, Path target, List<Path> sources, Path audio, JobOptions options, int status,
                               String check, String message) {
        JobStatus job = client.submit(target, sources, audio, options);
        assertEquals(JobState.PREPARING, job.state());
        JobStatus end = client.follow(job.id(), s -> { });
        assertEquals(JobState.FAILED, end.state(), "job on " + target.getFileName() + " should fail: " + end);
        assertEquals(status, end.failure().status(), end.failure().toString());
        assertEquals(check, end.failure().check(), end.failure().toString());
        assertTrue(end.failure().message().contains(message), "'" + end.failure().message() + "' should say '" + message + "'");
        assertEquals(end.failure().message(), end.error());
        try (ObjectStore store = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            assertEquals(List.of(), store.list("tenants/default/jobs/" + job.id() + "/"), "a refused job leaves nothing in S3");
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

    /** A PNG whose header claims a huge picture (its data is a few bytes): decoding it whole would take gigabytes. */
    private static Path hugePng(Path file, int width, int height) throws java.io.IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00});
        chunk(png, "IEND", new byte[0]);
        return Files.write(file, png.toByteArray());
    }

    private static void chunk(java.io.ByteArrayOutputStream png, String type, byte[] data) throws java.io.IOException {
        png.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        png.write(typeAndData);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeAndData);
        png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static String s3Endpoint(LocalFarm farm) {
        return farm.s3Endpoint();
    }
}
