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
}
