package facefarm.worker.media;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Decoding and making videos for assertions, shared by the worker's and the deploy module's tests. */
public final class TestVideos {
    private TestVideos() {
    }

    /** Every frame of a video, decoded to BGR bytes, in order. */
    public static List<byte[]> frames(Path video) {
        List<byte[]> frames = new ArrayList<>();
        try (FrameReader reader = new FrameReader(video, new FrameRange(0, Long.MAX_VALUE), Keyframe.FIRST)) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                byte[] bytes = new byte[(int) (frame.image().total() * frame.image().channels())];
                ((ByteBuffer) frame.image().createBuffer()).get(bytes);
                frame.image().close();
                frames.add(bytes);
            }
        }
        return frames;
    }

    /** The first {@code frames} frames of a clip, written losslessly (FFV1 in Matroska): large, and exact. */
    public static Path losslessCopy(Path clip, Path file, int frames) {
        VideoInfo info = VideoProbe.probe(clip);
        try (FrameReader reader = new FrameReader(clip, new FrameRange(0, frames), Keyframe.FIRST);
             ChunkEncoder writer = new ChunkEncoder(file, info.width(), info.height(), info.fpsNumerator(), info.fpsDenominator())) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                writer.write(frame.image());
                frame.image().close();
            }
            writer.finish();
        }
        return file;
    }

    /** Peak signal-to-noise ratio of two decoded frames of the same size, in dB (infinite when equal). */
    public static double psnr(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("frames differ in size: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
