package facefarm.worker.media;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Frames [start, end) of a job's output: the target's own frames, exactly as {@link FrameReader} reads them, then its
 * last frame held for every frame past its end (a video extended to its new audio; a still image, a target of one
 * frame, made into a talking head). A range wholly past the end decodes the last frame once.
 */
public final class HeldFrames implements AutoCloseable {
    private final FrameReader reader;
    private final FrameRange range;
    private final long targetFrames;
    private long next;
    private Mat held;

    public HeldFrames(Path target, FrameRange range, Keyframe seek, long targetFrames) {
        this(target.toString(), range, seek, targetFrames);
    }

    /** @param target a file path or a (presigned) URL */
    public HeldFrames(String target, FrameRange range, Keyframe seek, long targetFrames) {
        this.range = range;
        this.targetFrames = targetFrames;
        this.next = range.start();
        this.reader = new FrameReader(target, new FrameRange(Math.min(range.start(), targetFrames - 1), Math.min(range.end(), targetFrames)), seek);
    }

    /** The next frame with its output index, or null after the last one (or when the target ends before ingest said). */
    public FrameReader.IndexedFrame next() {
        if (next >= range.end()) {
            return null;
        }
        if (next < targetFrames) {
            FrameReader.IndexedFrame frame = reader.next();
            if (frame == null) {
                return null;
            }
            next = frame.index() + 1;
            if (frame.index() == targetFrames - 1 && range.end() > targetFrames) {
                held = frame.image().clone();
            }
            return frame;
        }
        if (held == null) {
            FrameReader.IndexedFrame last = reader.next();
            if (last == null) {
                return null;
            }
            held = last.image();
        }
        return new FrameReader.IndexedFrame(next++, held.clone());
    }

    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() {
        reader.close();
        if (held != null) {
            held.close();
        }
    }
}
