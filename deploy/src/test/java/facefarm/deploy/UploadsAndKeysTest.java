package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.uploads.UploadPlan;
import facefarm.common.uploads.UploadRequest;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.cli.Uploader;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.TestVideos;
import facefarm.worker.media.VideoProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large inputs never pass through the coordinator: presigned multipart uploads (in parts, resumed after an
 * interruption), jobs on objects already in the bucket by key, and a 413 that says how to upload above the limit.
 */
class UploadsAndKeysTest {
    @TempDir
    Path dir;

    @Test
    void uploadInPartsResumeSubmitByKeyAndRefuseOversizedRequests() throws Exception {
        Path master = losslessMaster(dir.resolve("master.mkv"), 100);
        long size = Files.size(master);
        assertTrue(size > 3 * 5L * 1024 * 1024, "the master is large enough for several 5 MiB parts: " + size);
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_MAX_UPLOAD_SIZE", "2M", "FARM_UPLOAD_PART_SIZE", "5M"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             ObjectStore store = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            CoordinatorClient client = farm.client();

            // above the single-request limit: 413, saying how to upload instead
            CoordinatorClient.ApiException tooLarge = assertThrows(CoordinatorClient.ApiException.class, () -> client.submit(master,
                    List.of(), new JobOptions(List.of("face_debugger"), 16, "mkv")));
            assertEquals(413, tooLarge.status());
            assertTrue(tooLarge.getMessage().contains("POST /api/v1/uploads"), tooLarge.getMessage());

            // an upload interrupted after two parts resumes with the rest
            UploadPlan plan = client.startUpload(new UploadRequest("master.mkv", size));
            assertTrue(plan.parts().size() >= 3, "parts: " + plan.parts().size());
            assertEquals(5L * 1024 * 1024, plan.partSize());
            byte[] bytes = Files.readAllBytes(master);
            HttpClient http = HttpClient.newHttpClient();
            for (UploadPlan.Part part : plan.parts().subList(0, 2)) {
                byte[] slice = java.util.Arrays.copyOfRange(bytes, (int) part.offset(), (int) (part.offset() + part.size()));
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(part.url())).PUT(HttpRequest.BodyPublishers.ofByteArray(slice))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, put.statusCode(), put.body());
            }
            assertEquals(2, client.uploadState(plan.uploadId(), plan.key()).parts().size());
            List<Long> progress = new ArrayList<>();
            InputFile uploaded = new Uploader(client).resume(master, plan, progress::add);
            assertEquals(2 * plan.partSize(), progress.get(0), "the two parts that arrived are not sent again");
            assertEquals(size, progress.get(progress.size() - 1));
            assertEquals(size, store.size(uploaded.key()));
            assertTrue(uploaded.key().startsWith("tenants/default/uploads/"), uploaded.key());

            JobStatus job = client.submit(new JobSubmission(uploaded, List.of(), null, new JobOptions(List.of("face_debugger"), 25, "mkv")));
            assertEquals(JobState.PREPARING, job.state());
            JobStatus done = client.follow(job.id(), s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());
            assertEquals(100, done.framesTotal());
            assertTrue(done.sizes().targetRead() > 0 && done.sizes().targetRead() < size * 2, "the chunks read byte ranges of the master: " + done.sizes());
            assertTrue(done.sizes().output() > 0 && done.sizes().intermediates() > 0, done.sizes().toString());
            Path output = dir.resolve("out.mkv");
            client.download(job.id(), output);
            assertEquals(100, VideoProbe.probe(output).frames());

            // a target put in the bucket by another tool, referred to by key
            store.upload(SharedFiles.media("face_2.mp4"), "library/takes/face_2.mp4");
            JobStatus byKey = client.follow(client.submit(new JobSubmission(new InputFile("library/takes/face_2.mp4", null), List.of(), null,
                    new JobOptions(List.of("face_debugger"), 50, "mp4"))).id(), s -> { });
            assertEquals(JobState.DONE, byKey.state(), byKey.error());
            assertEquals(125, byKey.framesTotal());

            for (String hostile : List.of("library/../jobs/x.mp4", "/etc/passwd", "jobs/someone-else/input/target/a.mp4", "library/missing.mp4")) {
                CoordinatorClient.ApiException refused = assertThrows(CoordinatorClient.ApiException.class, () -> client.submit(new JobSubmission(
                        new InputFile(hostile, null), List.of(), null, new JobOptions(List.of("face_debugger"), 50, "mp4"))));
                assertEquals(400, refused.status(), hostile + ": " + refused.getMessage());
            }
            CoordinatorClient.ApiException hugeUpload = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.startUpload(new UploadRequest("../../x", -5)));
            assertEquals(400, hugeUpload.status());
        }
    }

    /** A lossless (FFV1) file of the first {@code frames} frames of face_2.mp4: large, and counted from its packets. */
    static Path losslessMaster(Path file, int frames) {
        return TestVideos.losslessCopy(SharedFiles.media("face_2.mp4"), file, frames);
    }
}
