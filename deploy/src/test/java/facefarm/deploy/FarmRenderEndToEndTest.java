package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.provenance.ProvenanceCheckRequest;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import facefarm.worker.provenance.WatermarkReading;
import facefarm.worker.provenance.WatermarkScan;
import facefarm.worker.provenance.c2pa.C2paReader;
import facefarm.worker.provenance.c2pa.CredentialsCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's render command, run as a user runs it: ./farm render on real media, on the real embedded stack. */
class FarmRenderEndToEndTest {
    @TempDir
    Path dir;

    private FarmCommand.Run farm(String... args) throws IOException, InterruptedException {
        return FarmCommand.run(dir, null, args);
    }

    private FarmCommand.Run unmarked(String... args) throws IOException, InterruptedException {
        return FarmCommand.run(dir, null, Videos.UNMARKED, args);
    }

    /** The job id ./farm render printed. */
    private static UUID jobId(FarmCommand.Run run) {
        Matcher job = Pattern.compile("farm: job ([0-9a-f-]{36}) submitted").matcher(run.stderr());
        assertTrue(job.find(), run.stderr());
        return UUID.fromString(job.group(1));
    }

    /** ./farm render of a clip from ../shared/media with astronaut.png as the source face. */
    private FarmCommand.Run render(String clip, Path output, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("render", "--target", SharedFiles.media(clip).toString(),
                "--source", SharedFiles.media("astronaut.png").toString(), "--output", output.toString()));
        args.addAll(List.of(options));
        return farm(args.toArray(String[]::new));
    }

    @Test
    void chunkedRenderOnTwoWorkersEqualsTheOneChunkRender() throws Exception {
        Path target = SharedFiles.media("face_2.mp4");
        Path chunked = dir.resolve("chunked.mp4");
        FarmCommand.Run run = render("face_2.mp4", chunked, "--chunk-frames", "16", "--workers", "2",
                "--face-detector-model", "scrfd", "--face-detector-size", "320", "--accept-license", "scrfd_2.5g");
        assertEquals(0, run.exit(), run.stderr());
        // no swapper weights here: the default chain is the open mesh swapper
        assertTrue(run.stderr().contains("processors mesh_swapper,"), "the default chain: " + run.stderr());
        assertTrue(run.stderr().contains("models scrfd_2.5g (InsightFace Non-Commercial),face_landmark_468 (Apache-2.0)"),
                "the job names its models: " + run.stderr());
        assertTrue(run.stdout().startsWith("done: 125 frames"), run.stdout());
        assertTrue(run.stdout().contains("frames/s") && run.stdout().contains("stitch"), run.stdout());
        assertTrue(run.stderr().contains("8 chunk(s)"), run.stderr());

        VideoInfo input = VideoProbe.probe(target);
        VideoInfo output = VideoProbe.probe(chunked);
        assertEquals(input.frames(), output.frames());
        assertEquals(input.frameRate(), output.frameRate());
        assertEquals("h264", output.videoCodec());
        assertTrue(output.hasAudio());
        double frame = 1.0 / output.fps();
        assertEquals(output.durationSeconds(), Videos.audioSeconds(chunked), frame, "audio lasts as long as the video, within one frame");

        Path single = dir.resolve("single.mp4");
        FarmCommand.Run one = render("face_2.mp4", single, "--chunk-frames", "100000", "--workers", "1",
                "--face-detector-model", "scrfd", "--face-detector-size", "320", "--accept-license", "scrfd_2.5g");
        assertEquals(0, one.exit(), one.stderr());
        assertTrue(one.stderr().contains("1 chunk(s)"), one.stderr());
        List<byte[]> a = Videos.frames(chunked);
        List<byte[]> b = Videos.frames(single);
        assertEquals(125, a.size());
        assertEquals(a.size(), b.size());
        // each chunk is its own H.264 encode (a keyframe where it starts), so the two differ by coding noise only;
        // the lossless test below checks the pictures exactly
        for (int i = 0; i < a.size(); i++) {
            double psnr = Videos.psnr(b.get(i), a.get(i));
            assertTrue(psnr > 35, "frame " + i + " of the 8-chunk render is " + psnr + " dB from the 1-chunk render");
        }
        List<byte[]> original = Videos.frames(target);
        assertFalse(java.util.Arrays.equals(original.get(60), a.get(60)), "mesh_swapper changed the frame");
    }

    @Test
    void aLosslessRenderInChunksOf17EqualsTheOneChunkRenderFrameForFrame() throws Exception {
        // the default chain, smoothing on: every chunk decodes the overlap its tracks read, and emits only its own frames
        Path target = SharedFiles.media("face_4.mp4");
        Path chunked = dir.resolve("chunked.mkv");
        FarmCommand.Run run = render("face_4.mp4", chunked, "--chunk-frames", "17", "--workers", "2", "--still", "40");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("12 chunk(s), smoothing window 3, processors mesh_swapper,"), run.stderr());
        // the output is marked by default, naming this farm and this job, and reads back without a bit error
        WatermarkPayload payload = WatermarkPayload.of("facefarm", jobId(run));
        WatermarkReading reading = WatermarkScan.scan(chunked, ProvenanceCheckRequest.DEFAULT_FRAMES);
        assertEquals(payload, reading.payload().orElseThrow(() -> new AssertionError("the render carries no watermark")));
        assertEquals(0.0, reading.bitErrorRate());
        // an mkv cannot hold Content Credentials: they come in a sidecar beside it, which the C2PA SDK validates
        Path sidecar = dir.resolve("chunked.c2pa");
        assertTrue(run.stdout().contains("content credentials: " + sidecar), run.stdout());
        ProvenanceReport.Credentials credentials = CredentialsCheck.check(chunked);
        assertEquals(ProvenanceReport.CredentialsStatus.VALID, credentials.status(), credentials.problem());
        assertEquals("sidecar chunked.c2pa", credentials.location());
        assertEquals(jobId(run).toString(), credentials.render().get("job"));
        JsonNode sdk = C2paReader.readSidecar(sidecar, chunked, LocalFarm.c2paDir(dir.resolve("home")).resolve("root.pem"));
        assertTrue(sdk.path("validation_results").path("activeManifest").path("success").toString().contains("claimSignature.validated"), sdk.toString());
        assertTrue(sdk.path("validation_results").path("activeManifest").path("success").toString().contains("signingCredential.trusted"), sdk.toString());
        assertEquals(sdk.path("sidecar").path("asset_sha256").asText(), sdk.path("sidecar").path("declared_sha256").asText(), sdk.toString());
        // the one-chunk render, left unmarked, then marked here with the chunked job's payload, is the chunked render
        Path single = dir.resolve("single.mkv");
        FarmCommand.Run one = unmarked("render", "--target", target.toString(), "--source", SharedFiles.media("astronaut.png").toString(),
                "--output", single.toString(), "--chunk-frames", "100000", "--workers", "1");
        assertEquals(0, one.exit(), one.stderr());
        assertTrue(one.stderr().contains("1 chunk(s), smoothing window 3,"), one.stderr());

        VideoInfo output = VideoProbe.probe(chunked);
        assertEquals("ffv1", output.videoCodec(), "an .mkv output is lossless");
        assertTrue(output.hasAudio(), "with the target's audio");
        assertEquals(VideoProbe.probe(target).frames(), output.frames());
        assertFalse(WatermarkScan.scan(single, ProvenanceCheckRequest.DEFAULT_FRAMES).found(), "a farm set to mark nothing marks nothing");
        List<byte[]> a = Videos.frames(chunked);
        List<byte[]> b = Videos.frames(single);
        List<byte[]> original = Videos.frames(target);
        assertEquals(199, a.size());
        assertEquals(a.size(), b.size());
        List<byte[]> bMarked = Videos.marked(b, output.width(), output.height(), payload);
        int swapped = 0;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(bMarked.get(i), a.get(i), "frame " + i + " differs between the 12-chunk and the 1-chunk render");
            swapped += java.util.Arrays.equals(original.get(i), b.get(i)) ? 0 : 1;
        }
        assertTrue(swapped > 150, "mesh_swapper changed " + swapped + " of 199 frames");

        // the review still: frame 40 of the target and of the render, side by side, exactly as decoded
        Path still = dir.resolve("chunked.before-after-40.png");
        assertTrue(run.stdout().contains("still: " + still + " (frame 40,"), run.stdout());
        try (Mat pair = opencv_imgcodecs.imread(still.toString())) {
            assertEquals(2 * output.width(), pair.cols());
            assertEquals(output.height(), pair.rows());
            assertArrayEquals(original.get(40), half(pair, 0), "the still's left half is the target's frame 40");
            assertArrayEquals(a.get(40), half(pair, 1), "the still's right half is the render's frame 40");
        }
    }

    /** The BGR bytes of the left (0) or right (1) half of a side-by-side still. */
    private static byte[] half(Mat pair, int which) {
        int width = pair.cols() / 2;
        try (Mat view = new Mat(pair, new Rect(which * width, 0, width, pair.rows())); Mat copy = view.clone()) {
            byte[] bytes = new byte[(int) (copy.total() * copy.channels())];
            ((ByteBuffer) copy.createBuffer()).get(bytes);
            return bytes;
        }
    }

    @Test
    void badArgumentsAndBadInputGetOneLineErrors() throws Exception {
        Path source = SharedFiles.media("astronaut.png");
        FarmCommand.Run zero = farm("render", "--target", SharedFiles.media("face_2.mp4").toString(), "--source", source.toString(),
                "--output", dir.resolve("o.mp4").toString(), "--chunk-frames", "0");
        assertEquals(2, zero.exit());
        assertEquals("error: --chunk-frames must be at least 1, got 0", zero.stderr().strip());

        FarmCommand.Run size = farm("render", "--target", SharedFiles.media("face_2.mp4").toString(), "--source", source.toString(),
                "--output", dir.resolve("o.mp4").toString(), "--face-detector-size", "large");
        assertEquals(2, size.exit());
        assertEquals("error: --face-detector-size takes whole numbers, got 'large'", size.stderr().strip());

        Path notVideo = Files.writeString(dir.resolve("notes.mp4"), "not a video ".repeat(200));
        FarmCommand.Run bad = farm("render", "--target", notVideo.toString(), "--source", source.toString(), "--output", dir.resolve("o.mp4").toString(),
                "--processors", "face_debugger,warp_drive", "--workers", "1");
        assertEquals(2, bad.exit(), bad.stderr());
        String last = bad.stderr().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("error: unknown processor 'warp_drive'"), last);
        assertFalse(Files.exists(dir.resolve("o.mp4")));

        FarmCommand.Run past = farm("still", "--target", SharedFiles.media("face_2.mp4").toString(), "--render", SharedFiles.media("face_2.mp4").toString(),
                "--frame", "500", "--output", dir.resolve("s.png").toString());
        assertEquals(2, past.exit(), past.stderr());
        assertEquals("error: face_2.mp4 has 125 frame(s): no frame 500 (frames count from 0)", past.stderr().strip());
        assertFalse(Files.exists(dir.resolve("s.png")));
    }

    @Test
    void aChainWithoutASwapperNeedsNoSourceFace() throws Exception {
        Path output = dir.resolve("marked.mkv");
        FarmCommand.Run run = farm("render", "--target", SharedFiles.media("face_2.mp4").toString(), "--processors", "face_debugger",
                "--output", output.toString(), "--workers", "1", "--chunk-frames", "50");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(125, Videos.frames(output).size());
        FarmCommand.Run swap = farm("render", "--target", SharedFiles.media("face_2.mp4").toString(), "--processors", "mesh_swapper",
                "--output", dir.resolve("swap.mp4").toString(), "--workers", "1");
        assertEquals(2, swap.exit(), swap.stderr());
        String last = swap.stderr().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("error: at least one 'source' part (a face image) is required"), last);
    }

    @Test
    void upStatusDownRunsTheFarmInTheBackgroundAndStopsIt() throws Exception {
        FarmCommand.Run up = farm("up", "--workers", "1");
        String jobId;
        try {
            assertEquals(0, up.exit(), up.stderr());
            assertTrue(up.stdout().startsWith("farm up at http://127.0.0.1:"), up.stdout());
            FarmCommand.Run again = farm("up");
            assertTrue(again.stdout().startsWith("farm already up"), again.stdout());

            // render runs on the farm that is up, with the operator token ./farm keeps
            FarmCommand.Run render = farm("render", "--target", SharedFiles.media("face_2.mp4").toString(), "--processors", "face_debugger",
                    "--output", dir.resolve("kept.mkv").toString(), "--chunk-frames", "64");
            assertEquals(0, render.exit(), render.stderr());
            assertTrue(render.stderr().contains("rendering on the farm already up"), render.stderr());
            jobId = render.stderr().lines().filter(l -> l.contains("submitted")).findFirst().orElseThrow().replaceAll(".*job (\\S+) submitted.*", "$1");

            // a worker that dies is started again by the launcher, and status says so
            ProcessHandle worker = workerProcess();
            assertTrue(worker != null, "the farm's worker process is found");
            worker.destroyForcibly();
            FarmCommand.Run status = farm("status");
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!status.stdout().contains("restarted 1 time") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                status = farm("status");
            }
            assertEquals(0, status.exit(), status.stderr());
            assertTrue(status.stdout().contains("farm at http://127.0.0.1:"), status.stdout());
            assertTrue(status.stdout().lines().anyMatch(l -> l.startsWith("worker-1") && l.contains("restarted 1 time")), status.stdout());
            assertTrue(status.stdout().contains(jobId), status.stdout());
        } finally {
            FarmCommand.Run down = farm("down");
            assertEquals(0, down.exit(), down.stderr());
            assertTrue(down.stdout().startsWith("farm stopped; its jobs and objects are kept"), down.stdout());
        }
        assertFalse(Files.exists(dir.resolve("home/farm.json")), "the state file is removed");
        FarmCommand.Run status = farm("status");
        assertEquals(1, status.exit());
        assertTrue(status.stderr().contains("no farm is running"), status.stderr());

        // up again: the job and its output are still there; down --purge wipes them
        try {
            assertEquals(0, farm("up", "--workers", "1").exit());
            FarmCommand.Run kept = farm("status", jobId);
            assertEquals(0, kept.exit(), kept.stderr());
            assertTrue(kept.stdout().contains("DONE") || kept.stdout().contains("done"), kept.stdout());
        } finally {
            FarmCommand.Run purge = farm("down", "--purge");
            assertEquals(0, purge.exit(), purge.stderr());
            assertTrue(purge.stdout().contains("wiped"), purge.stdout());
        }
        assertFalse(Files.exists(dir.resolve("home/state")), "down --purge wipes the kept state");
        assertTrue(Files.isRegularFile(dir.resolve("home/token")), "the operator token stays");
        assertEquals(0, farm("token").exit());
        assertEquals(Files.readString(dir.resolve("home/token")).strip(), farm("token").stdout().strip(), "./farm token prints it");
    }

    /** The worker JVM under the background farm (its main class is on its command line). */
    private ProcessHandle workerProcess() throws Exception {
        java.util.Map<String, Object> state = facefarm.common.messaging.Messages.JSON.readValue(dir.resolve("home/farm.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<>() { });
        long pid = ((Number) state.get("pid")).longValue();
        return ProcessHandle.of(pid).orElseThrow().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("facefarm.worker.WorkerMain")).findFirst().orElse(null);
    }
}
