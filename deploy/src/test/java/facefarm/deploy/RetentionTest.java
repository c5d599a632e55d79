package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.FaceMapping;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.messaging.Messages;
import facefarm.common.uploads.UploadRequest;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real stack: inputs, outputs, failed jobs' chunks and stray uploads are deleted once past their retention. */
class RetentionTest {
    @TempDir
    Path dir;

    @Test
    void objectsPastTheirRetentionAreDeletedAndTheOutputAnswers410() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_RETENTION_INPUTS", "2s", "FARM_RETENTION_OUTPUTS", "4s",
                        "FARM_RETENTION_FAILED_CHUNKS", "2s", "FARM_RETENTION_UPLOADS", "2s", "FARM_RETENTION_SWEEP_INTERVAL", "1s"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             ObjectStore store = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            CoordinatorClient client = farm.client();
            // an upload begun and never used by a job
            String stray = client.startUpload(new UploadRequest("forgotten.mov", 100)).key();
            store.upload(SharedFiles.media("astronaut.png"), stray);

            String submitted = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv")).id();
            // a photo a paused job's face map names: as old as the stray upload, but in use
            String headshot = client.startUpload(new UploadRequest("headshot.png", 100)).key();
            String paused = UUID.randomUUID().toString();
            JobOptions mapped = new JobOptions(List.of("mesh_swapper"), 64, "mkv", new AnalysisOptions(null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, List.of(new FaceMapping(new InputFile(headshot, "headshot.png"), 0))));
            try (Connection db = DriverManager.getConnection(farm.jdbcUrl(), "postgres", "postgres");
                 PreparedStatement ps = db.prepareStatement("insert into jobs (id, state, target_name, target_key, source_keys, processors, output_format, "
                         + "frames_total, fps_num, fps_den, width, height, video_codec, has_audio, chunk_frames, warmup, lookahead, probe_ms, tenant, "
                         + "options) select ?, 'PAUSED', target_name, target_key, source_keys, processors, output_format, frames_total, fps_num, fps_den, "
                         + "width, height, video_codec, has_audio, chunk_frames, warmup, lookahead, probe_ms, tenant, ? from jobs where id = ?")) {
                ps.setObject(1, UUID.fromString(paused));
                ps.setString(2, Messages.JSON.writeValueAsString(mapped));
                ps.setObject(3, UUID.fromString(submitted));
                assertEquals(1, ps.executeUpdate());
            }
            store.upload(SharedFiles.media("astronaut.png"), headshot);
            JobStatus job = client.follow(submitted, s -> { });
            assertEquals(JobState.DONE, job.state(), job.error());
            String folder = "tenants/default/jobs/" + job.id() + "/";
            assertTrue(!store.list(folder + "input/").isEmpty() && !store.list(folder + "output/").isEmpty(), "inputs and output are there at first");
            Path early = dir.resolve("early.mkv");
            client.download(job.id(), early);
            // a provenance check's record goes with the outputs
            String check = client.startProvenanceCheck(headshot, null, 1).id();

            await(() -> store.list(folder + "input/").isEmpty(), "the inputs go after 2 s");
            await(() -> store.list(folder + "output/").isEmpty(), "the output goes after 4 s");
            await(() -> !store.exists(stray), "the stray upload goes after 2 s");
            assertTrue(store.exists(headshot), "the paused job's reference photo stays");
            CoordinatorClient.ApiException gone = org.junit.jupiter.api.Assertions.assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.download(job.id(), dir.resolve("late.mkv")));
            assertEquals(410, gone.status(), gone.getMessage());
            assertTrue(gone.getMessage().contains("farm.retention.outputs"), gone.getMessage());
            await(() -> {
                try {
                    client.provenanceCheck(check);
                    return false;
                } catch (CoordinatorClient.ApiException e) {
                    return e.status() == 404;
                }
            }, "the provenance check's record goes after 4 s");

            // a failed job's chunks
            String failedChunk = folder.replace(job.id(), UUID.randomUUID().toString()) + "chunks/0/attempt.mkv";
            String failedJob = failedChunk.split("/")[3];
            try (Connection db = DriverManager.getConnection(farm.jdbcUrl(), "postgres", "postgres");
                 PreparedStatement ps = db.prepareStatement("insert into jobs (id, state, target_name, target_key, source_keys, processors, output_format, "
                         + "frames_total, fps_num, fps_den, width, height, video_codec, has_audio, chunk_frames, warmup, lookahead, probe_ms, tenant, "
                         + "finished_at) select ?, 'FAILED', target_name, target_key, source_keys, processors, output_format, frames_total, fps_num, fps_den, "
                         + "width, height, video_codec, has_audio, chunk_frames, warmup, lookahead, probe_ms, tenant, now() from jobs where id = ?")) {
                ps.setObject(1, UUID.fromString(failedJob));
                ps.setObject(2, UUID.fromString(job.id()));
                assertEquals(1, ps.executeUpdate());
            }
            store.upload(early, failedChunk);
            await(() -> !store.exists(failedChunk), "a failed job's chunks go after 2 s");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s");
            }
            Thread.sleep(250);
        }
    }
}
