package facefarm.worker.media;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads frames [start, end) of a video by decoded index, exactly: it seeks to a keyframe found at ingest, checks
 * that the decoder really landed on it (by its timestamp), and counts decoded frames from there. If the seek cannot
 * be trusted it decodes from the first frame instead. Frames are BGR {@link Mat}s owned by the caller.
 */
public final class FrameReader implements AutoCloseable {
    static {
        // FFmpeg's stream dumps otherwise go to stderr on every open, in the CLI too
        FfmpegLog.quiet();
    }

    private static final System.Logger LOG = System.getLogger(FrameReader.class.getName());

    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final FrameRange range;
    private long nextIndex;
    private Mat pending;
    private boolean seekVerified;

    public FrameReader(Path video, FrameRange range, Keyframe seek) {
        this(video.toString(), range, seek);
    }

    /** @param video a file path or a (presigned) URL, which FFmpeg reads in byte ranges from the keyframe on */
    public FrameReader(String video, FrameRange range, Keyframe seek) {
        this.range = range;
        this.grabber = new FFmpegFrameGrabber(video);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        Sources.options(video).forEach(grabber::setOption);
        try {
            grabber.start();
            if (!seek.isStart() && seek.index() <= range.start()) {
                seekTo(seek);
            }
            if (!seekVerified) {
                nextIndex = 0;
            }
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            close();
            throw new MediaException("cannot open " + Sources.describe(video) + " for decoding: " + VideoProbe.firstLine(e), e);
        }
    }

    private void seekTo(Keyframe seek) throws org.bytedeco.javacv.FrameGrabber.Exception {
        grabber.setTimestamp(seek.timestampMicros());
        Frame frame;
        while ((frame = grabber.grabImage()) != null && frame.timestamp < seek.timestampMicros()) {
            // frames before the keyframe in presentation order belong to the previous group: skip them
        }
        if (frame != null && frame.timestamp == seek.timestampMicros()) {
            pending = converter.convert(frame).clone();
            nextIndex = seek.index();
            seekVerified = true;
            return;
        }
        LOG.log(Level.WARNING, "seek to keyframe {0} at {1} us landed elsewhere; decoding from the first frame", seek.index(), seek.timestampMicros());
        grabber.restart();
    }

    /** The next frame of the range with its index, or null after the last one. */
    public IndexedFrame next() {
        try {
            while (nextIndex < range.end()) {
                Mat image;
                if (pending != null) {
                    image = pending;
                    pending = null;
                } else {
                    boolean wanted = nextIndex >= range.start();
                    // frames between the keyframe and the range are decoded but never converted to BGR
                    Frame frame = wanted ? grabber.grabImage() : grabber.grabFrame(false, true, false, false, false);
                    if (frame == null) {
                        return null;
                    }
                    image = wanted ? converter.convert(frame).clone() : null;
                }
                long index = nextIndex++;
                if (index >= range.start()) {
                    return new IndexedFrame(index, image);
                }
                if (image != null) {
                    image.close();
                }
            }
            return null;
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new MediaException("decoding failed at frame " + nextIndex + ": " + VideoProbe.firstLine(e), e);
        }
    }

    /** Bytes read from the file or URL so far: the keyframe's group and what follows, not the whole file. */
    public long bytesRead() {
        var context = grabber.getFormatContext();
        return context == null || context.pb() == null ? 0 : context.pb().bytes_read();
    }

    public boolean seekVerified() {
        return seekVerified;
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            LOG.log(Level.DEBUG, "closing grabber failed", e);
        }
        if (pending != null) {
            pending.close();
        }
    }

    /** A decoded frame and its index in the whole video. */
    public record IndexedFrame(long index, Mat image) {
    }
}
