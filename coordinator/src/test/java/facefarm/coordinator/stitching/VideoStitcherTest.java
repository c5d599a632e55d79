package facefarm.coordinator.stitching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.LosslessChunkWriter;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stitching real chunks with real audio: frame order and count, and audio trimmed or padded to exactly N / fps. */
class VideoStitcherTest {
    @TempDir
    Path dir;

    private List<VideoStitcher.Chunk> chunks(Path video, VideoInfo info, long frames, int chunkFrames) {
        List<VideoStitcher.Chunk> chunks = new ArrayList<>();
        for (long start = 0; start < frames; start += chunkFrames) {
            long end = Math.min(frames, start + chunkFrames);
            Path file = dir.resolve("chunk-" + start + ".mkv");
            try (FrameReader reader = new FrameReader(video, new FrameRange(start, end), Keyframe.FIRST);
                 LosslessChunkWriter writer = new LosslessChunkWriter(file, info.width(), info.height(), info.fpsNumerator(), info.fpsDenominator())) {
                FrameReader.IndexedFrame frame;
                while ((frame = reader.next()) != null) {
                    writer.write(frame.image());
                    frame.image().close();
                }
                writer.finish();
            }
            chunks.add(new VideoStitcher.Chunk(file, end - start));
        }
        return chunks;
    }

    /** Samples per channel and the values of the first channel. */
    private static float[] audio(Path file, int[] rateOut) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            rateOut[0] = grabber.getSampleRate();
            int channels = grabber.getAudioChannels();
            List<Float> first = new ArrayList<>();
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                for (int i = buffer.position(); i < buffer.limit(); i += channels) {
                    first.add(buffer.get(i));
                }
            }
            float[] out = new float[first.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = first.get(i);
            }
            return out;
        }
    }

    @Test
    void losslessOutputKeepsFramesAndTrimsLongAudioToTheVideo() throws Exception {
        Path video = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(video);
        List<VideoStitcher.Chunk> chunks = chunks(video, info, 23, 7);
        Path out = dir.resolve("out.mkv");
        Path speech = SharedFiles.media("audio_1.wav");
        long frames = VideoStitcher.stitch(chunks, speech, new VideoStitcher.Output(out, "mkv", info.width(), info.height(), 25, 1));
        assertEquals(23, frames);
        VideoInfo stitched = VideoProbe.probe(out);
        assertEquals(23, stitched.frames());
        assertEquals("25/1", stitched.frameRate());
        try (FrameReader original = new FrameReader(video, new FrameRange(0, 23), Keyframe.FIRST);
             FrameReader result = new FrameReader(out, new FrameRange(0, 23), Keyframe.FIRST)) {
            for (int i = 0; i < 23; i++) {
                assertArrayEquals(bytes(original.next()), bytes(result.next()), "frame " + i);
            }
        }
        int[] rate = new int[1];
        float[] source = audio(speech, rate);
        float[] muxed = audio(out, rate);
        assertEquals(44_100L * 23 / 25, muxed.length, "5 s of speech trimmed to 23 frames at 25 fps, sample-exact");
        for (int i = 0; i < muxed.length; i += 997) {
            assertEquals(source[i], muxed[i], 1e-4, "sample " + i + " is the source's");
        }
    }

    @Test
    void shortAudioIsPaddedWithSilence() throws Exception {
        Path video = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(video);
        List<VideoStitcher.Chunk> chunks = chunks(video, info, 125, 50);
        Path out = dir.resolve("padded.mkv");
        // the 16 kHz hello clip (8.29 s) against 125 frames at 12.5 fps = 10 s of video
        VideoStitcher.stitch(chunks, SharedFiles.media("espeak_en_hello_16k.wav"), new VideoStitcher.Output(out, "mkv", info.width(), info.height(), 25, 2));
        int[] rate = new int[1];
        float[] muxed = audio(out, rate);
        assertEquals(16_000 * 10, muxed.length, "padded to exactly 10 s");
        for (int i = 16_000 * 9; i < muxed.length; i++) {
            assertEquals(0f, muxed[i], "the last second is silence");
        }
        assertTrue(VideoProbe.probe(out).frames() == 125);
    }

    @Test
    void aChunkWithTheWrongFrameCountIsRefused() {
        Path video = SharedFiles.media("face_2.mp4");
        VideoInfo info = VideoProbe.probe(video);
        List<VideoStitcher.Chunk> chunks = chunks(video, info, 10, 10);
        List<VideoStitcher.Chunk> lying = List.of(new VideoStitcher.Chunk(chunks.get(0).file(), 11));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VideoStitcher.stitch(lying, null,
                new VideoStitcher.Output(dir.resolve("x.mp4"), "mp4", info.width(), info.height(), 25, 1)));
        assertTrue(e.getMessage().contains("holds 10 frames, expected 11"), e.getMessage());
    }

    private static byte[] bytes(FrameReader.IndexedFrame frame) {
        byte[] out = new byte[(int) (frame.image().total() * 3)];
        ((ByteBuffer) frame.image().createBuffer()).get(out);
        frame.image().close();
        return out;
    }
}
