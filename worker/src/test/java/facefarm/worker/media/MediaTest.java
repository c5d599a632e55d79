package facefarm.worker.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.ChunkPlan;
import facefarm.common.planning.ChunkPlanner;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaTest {
    @TempDir
    Path dir;

    static byte[] bytes(Mat mat) {
        byte[] out = new byte[(int) (mat.total() * mat.channels())];
        ((ByteBuffer) mat.createBuffer()).get(out);
        return out;
    }

    static List<byte[]> readAll(Path video, FrameRange range, Keyframe seek) {
        List<byte[]> frames = new ArrayList<>();
        try (FrameReader reader = new FrameReader(video, range, seek)) {
            FrameReader.IndexedFrame frame;
            long expected = range.start();
            while ((frame = reader.next()) != null) {
                assertEquals(expected++, frame.index());
                frames.add(bytes(frame.image()));
                frame.image().close();
            }
        }
        return frames;
    }

    @Test
    void probeCountsDecodedFramesAndReadsTheExactRate() {
        VideoInfo info = VideoProbe.probe(SharedFiles.media("face_2.mp4"));
        assertEquals(125, info.frames());
        assertEquals(25, info.fpsNumerator() / info.fpsDenominator());
        assertEquals(844, info.width());
        assertTrue(info.hasAudio());
        assertEquals(0, info.keyframes().get(0).index());
        VideoInfo avi = VideoProbe.probe(SharedFiles.media("Megamind.avi"));
        assertEquals(270, avi.frames());
        assertEquals(23.976, avi.fps(), 0.001, "the AVI declares its rate as " + avi.frameRate());
    }

    @Test
    void chunkedReadsEqualOneFullDecode() {
        for (String name : List.of("Megamind.avi", "WDA_KatieHill_000.mp4")) {
            Path video = SharedFiles.media(name);
            VideoInfo info = VideoProbe.probe(video);
            List<byte[]> full = readAll(video, new FrameRange(0, info.frames()), Keyframe.FIRST);
            assertEquals(info.frames(), full.size(), name);
            List<ChunkPlan> chunks = ChunkPlanner.plan(info.frames(), 37, 0, 0, info.keyframes());
            assertTrue(info.keyframes().size() > 1, name + " should have several keyframes for this test to mean something");
            for (ChunkPlan chunk : chunks) {
                List<byte[]> part = readAll(video, chunk.owned(), chunk.seek());
                assertEquals(chunk.owned().length(), part.size(), name + " chunk " + chunk.index());
                for (int i = 0; i < part.size(); i++) {
                    assertArrayEquals(full.get((int) chunk.owned().start() + i), part.get(i), name + " frame " + (chunk.owned().start() + i));
                }
            }
        }
    }

    @Test
    void h264WriterKeepsPicturesAndColours() {
        Path video = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(video);
        Path chunk = dir.resolve("chunk.mkv");
        List<byte[]> written = new ArrayList<>();
        try (ChunkEncoder writer = new ChunkEncoder(chunk, info.width(), info.height(), info.fpsNumerator(), info.fpsDenominator(),
                new facefarm.common.jobs.VideoEncoding("mp4", 8_000_000));
             FrameReader reader = new FrameReader(video, new FrameRange(10, 16), Keyframe.FIRST);
             Mat red = new Mat(info.height(), info.width(), org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                     new org.bytedeco.opencv.opencv_core.Scalar(20, 30, 220, 0))) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                writer.write(frame.image());
                written.add(bytes(frame.image()));
                frame.image().close();
            }
            writer.write(red);
            writer.finish();
        }
        List<byte[]> back = readAll(chunk, new FrameRange(0, 7), Keyframe.FIRST);
        assertEquals(7, back.size());
        for (int i = 0; i < 6; i++) {
            double psnr = TestVideos.psnr(written.get(i), back.get(i));
            assertTrue(psnr > 35, "frame " + i + " came back at " + psnr + " dB");
        }
        // the colour conversion's matrix and plane order: a BGR (20, 30, 220) picture stays that colour
        byte[] pixel = java.util.Arrays.copyOfRange(back.get(6), (info.height() / 2 * info.width() + info.width() / 2) * 3,
                (info.height() / 2 * info.width() + info.width() / 2) * 3 + 3);
        int[] bgr = {pixel[0] & 0xff, pixel[1] & 0xff, pixel[2] & 0xff};
        assertTrue(Math.abs(bgr[0] - 20) < 8 && Math.abs(bgr[1] - 30) < 8 && Math.abs(bgr[2] - 220) < 8, "came back as " + java.util.Arrays.toString(bgr));
    }

    @Test
    void losslessWriterRoundTripsFramesExactly() {
        Path video = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(video);
        List<byte[]> original = readAll(video, new FrameRange(10, 16), Keyframe.FIRST);
        Path chunk = dir.resolve("chunk.mkv");
        try (ChunkEncoder writer = new ChunkEncoder(chunk, info.width(), info.height(), info.fpsNumerator(), info.fpsDenominator());
             FrameReader reader = new FrameReader(video, new FrameRange(10, 16), Keyframe.FIRST)) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                writer.write(frame.image());
                frame.image().close();
            }
            writer.finish();
            assertEquals(6, writer.frames());
        }
        VideoInfo written = VideoProbe.probe(chunk);
        assertEquals(6, written.frames());
        assertEquals(info.frameRate(), written.frameRate());
        List<byte[]> back = readAll(chunk, new FrameRange(0, 6), Keyframe.FIRST);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(original.get(i), back.get(i), "frame " + i);
        }
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertTrue(assertThrows(MediaException.class, () -> VideoProbe.probe(empty)).getMessage().contains("empty"));
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video at all ".repeat(100));
        assertTrue(assertThrows(MediaException.class, () -> VideoProbe.probe(text)).getMessage().contains("not a video"));
        byte[] whole = Files.readAllBytes(SharedFiles.media("face_2.mp4"));
        Path truncated = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(whole, whole.length / 3));
        MediaException damaged = assertThrows(MediaException.class, () -> VideoProbe.probe(truncated));
        assertNotNull(damaged.getMessage());
    }

    @Test
    void aPictureLargerThan8kIsRefused() {
        Path huge = dir.resolve("huge.mkv");
        try (Mat frame = new Mat(4400, 7700, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(40, 80, 120, 0));
             ChunkEncoder writer = new ChunkEncoder(huge, 7700, 4400, 25, 1)) {
            writer.write(frame);
            writer.finish();
        }
        MediaException e = assertThrows(MediaException.class, () -> VideoProbe.probe(huge));
        assertTrue(e.getMessage().contains("7700x4400") && e.getMessage().contains("scale it down"), e.getMessage());
    }
}
