package facefarm.worker.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.ChunkEncoder;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.TestVideos;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The watermark on real footage: invisible (PSNR), read back exactly, and still read after what distribution does to
 * a video (re-encoded by Debian's ffmpeg with libx264 and libx265, which CI installs), with no false positive on clips that never
 * went through the farm.
 */
class WatermarkTest {
    private static final int FRAMES = 48;
    private static final WatermarkPayload PAYLOAD = WatermarkPayload.of("watermark-test", UUID.fromString("3f6c2a91-5d7e-4b08-9a1c-0e2f4d6b8a7c"));

    @TempDir
    static Path dir;
    private static Path marked;
    private static double worstPsnr = Double.POSITIVE_INFINITY;
    private static int largestChange;

    @BeforeAll
    static void markClip() {
        Path clip = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(clip);
        marked = dir.resolve("marked.mkv");
        WatermarkEmbedder embedder = new WatermarkEmbedder(PAYLOAD);
        try (FrameReader reader = new FrameReader(clip, new FrameRange(0, FRAMES), Keyframe.FIRST);
             ChunkEncoder writer = new ChunkEncoder(marked, info.width(), info.height(), info.fpsNumerator(), info.fpsDenominator())) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                byte[] before = bytes(frame);
                embedder.mark(frame.image());
                byte[] after = bytes(frame);
                worstPsnr = Math.min(worstPsnr, TestVideos.psnr(before, after));
                largestChange = Math.max(largestChange, largestChange(before, after));
                writer.write(frame.image());
                frame.image().close();
            }
            writer.finish();
        }
        System.out.printf(Locale.ROOT, "watermark: worst PSNR of a marked frame against the unmarked one %.1f dB, largest change of a pixel %d levels%n",
                worstPsnr, largestChange);
    }

    private static int largestChange(byte[] a, byte[] b) {
        int largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return largest;
    }

    @Test
    void isInvisible() {
        assertTrue(worstPsnr >= 40, "a marked frame is " + worstPsnr + " dB from the unmarked one; the floor is 40 dB");
        // PSNR averages over the frame: a few blocks moved far show as squares on edges, which this catches
        assertTrue(largestChange <= 16, "a pixel of a marked frame moved by " + largestChange + " levels; the most is 16");
    }

    @Test
    void readsBackWithoutErrors() {
        WatermarkReading reading = WatermarkScan.scan(marked, FRAMES);
        assertEquals(PAYLOAD, reading.payload().orElseThrow(() -> new AssertionError("no watermark in the marked clip")));
        assertEquals(0.0, reading.bitErrorRate(), "bit error rate of the lossless marked clip");
        assertTrue(reading.framing().whole());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-crf 28", "-vf scale=iw/2:ih/2 -crf 23", "-vf crop=iw*0.95:ih*0.95 -crf 23", "-vf crop=iw*0.95:ih*0.95:0:0 -crf 23",
            "-vf fps=15 -crf 23", "-c:v libx265 -crf 28"})
    void survivesDistribution(String transform) throws Exception {
        Path copy = reencode(marked, transform);
        WatermarkReading reading = WatermarkScan.scan(copy, FRAMES);
        System.out.printf(Locale.ROOT, "watermark after ffmpeg %s: %s, bit error rate %.4f, framing %s%n", transform,
                reading.payload().map(WatermarkPayload::hex).orElse("not found"), reading.bitErrorRate(), reading.framing());
        assertEquals(PAYLOAD, reading.payload().orElseThrow(() -> new AssertionError("no watermark after ffmpeg " + transform)));
        assertTrue(reading.bitErrorRate() < 0.05, "bit error rate " + reading.bitErrorRate() + " after ffmpeg " + transform);
    }

    @ParameterizedTest
    @ValueSource(strings = {"face_1.mp4", "face_2.mp4", "face_4.mp4", "WDA_KatieHill_000.mp4", "Megamind.avi"})
    void findsNothingInFootageThatWasNeverMarked(String name) {
        WatermarkReading reading = WatermarkScan.scan(SharedFiles.media(name), FRAMES);
        assertFalse(reading.found(), name + " was never marked, yet reads as " + reading);
    }

    private static Path reencode(Path input, String transform) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "skipped: Debian's ffmpeg (with libx264) is not installed");
        Path output = dir.resolve(UUID.randomUUID() + ".mp4");
        List<String> command = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-v", "error", "-y", "-i", input.toString()));
        command.addAll(List.of(transform.split(" ")));
        if (!transform.contains("-c:v")) {
            command.addAll(List.of("-c:v", "libx264"));
        }
        command.addAll(List.of("-pix_fmt", "yuv420p", "-an", output.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "ffmpeg " + transform + ": " + log);
        return output;
    }

    private static byte[] bytes(FrameReader.IndexedFrame frame) {
        byte[] bytes = new byte[(int) (frame.image().total() * frame.image().channels())];
        ((ByteBuffer) frame.image().createBuffer()).get(bytes);
        return bytes;
    }
}
