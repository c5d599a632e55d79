package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.ModelUse;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.common.provenance.RenderRecord;
import facefarm.deploy.stack.Ports;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.provenance.c2pa.C2paReader;
import facefarm.worker.provenance.c2pa.CredentialsCheck;
import facefarm.worker.provenance.c2pa.OutputSigner;
import facefarm.worker.provenance.c2pa.SigningCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stitching worker's signing on the real S3 server: an MP4 streamed back and uploaded again in several parts,
 * the last ending with its C2PA box, is the original byte for byte followed by a box the C2PA SDK validates.
 */
class OutputSignerTest {
    @TempDir
    Path dir;

    /** face_2 as lossless H.264 in MP4 (Debian's ffmpeg): tens of megabytes. */
    private Path largeMp4() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "skipped: Debian's ffmpeg (with libx264) is not installed");
        Path file = dir.resolve("large.mp4");
        Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-y", "-i", SharedFiles.media("face_2.mp4").toString(), "-c:v", "libx264",
                "-qp", "0", "-preset", "ultrafast", "-c:a", "copy", file.toString()).redirectErrorStream(true).start();
        String log = new String(ffmpeg.getInputStream().readAllBytes());
        assertEquals(0, ffmpeg.waitFor(), log);
        return file;
    }

    @Test
    void signsAnOutputInSeveralPartsWithoutItsBytesChanging() throws Exception {
        Path original = largeMp4();
        SigningCredentials credentials = SigningCredentials.local(dir.resolve("c2pa"), "facefarm");
        try (S3Server s3 = S3Server.start(dir.resolve("s3"), Ports.free());
             ObjectStore store = new ObjectStore(s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            store.ensureBucket();
            store.upload(original, "out/result.mp4.unsigned");
            // 5 MiB parts, the least S3 takes: the clip goes up in several
            long size = new OutputSigner(store, credentials, 5 << 20).sign("out/result.mp4.unsigned", "out/result.mp4",
                    new RenderRecord("3f6c2a91-5d7e-4b08-9a1c-0e2f4d6b8a7c", "facefarm", null, List.of("mesh_swapper"),
                            List.of(new ModelUse("face_landmark_468", "face_landmark_468.onnx", "Apache-2.0", true)), List.of()));
            Path signed = dir.resolve("signed.mp4");
            store.download("out/result.mp4", signed);
            assertEquals(-1, store.size("out/result.mp4.unsigned"), "the unsigned upload is gone");
            byte[] before = Files.readAllBytes(original);
            byte[] after = Files.readAllBytes(signed);
            assertEquals(size, after.length);
            assertTrue(before.length > 2 * (5 << 20), "several parts: " + before.length);
            assertArrayEquals(before, Arrays.copyOf(after, before.length), "the signed output starts with the unsigned one, unchanged");
            assertEquals(ProvenanceReport.CredentialsStatus.VALID, CredentialsCheck.check(signed).status());
            JsonNode report = C2paReader.read(signed, "video/mp4", dir.resolve("c2pa/root.pem"));
            assertEquals("Trusted", report.path("validation_state").asText(), report.toPrettyString());
        }
    }
}
