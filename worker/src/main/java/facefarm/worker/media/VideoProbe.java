package facefarm.worker.media;

import facefarm.common.planning.Keyframe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes a whole video once (without pixel conversion) to count its frames and index its keyframes: container
 * metadata is not trusted for either. {@link PacketProbe} counts packets instead where the container allows, and
 * falls back to this.
 */
public final class VideoProbe {
    /** Largest picture the farm accepts: 8K UHD. */
    public static final long MAX_PIXELS = 7680L * 4320L;

    static {
        FfmpegLog.quiet();
    }

    private VideoProbe() {
    }

    public static VideoInfo probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MediaException("target video " + file + " does not exist");
        }
        try {
            if (Files.size(file) == 0) {
                throw new MediaException("the target video is an empty file: upload the whole video");
            }
        } catch (java.io.IOException e) {
            throw new MediaException("cannot read target video " + file, e);
        }
        return probe(file.toString());
    }

    /** Decodes a whole video (a file path or a URL) once to count its frames and index its keyframes. */
    public static VideoInfo probe(String source) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source)) {
            try {
                grabber.start();
            } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
                throw new MediaException("the target is not a video FFmpeg can read (" + firstLine(e) + "): upload an MP4, MOV, MKV, AVI or WebM file", e);
            }
            if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
                throw new MediaException("the target has no video stream: upload a video file");
            }
            int width = grabber.getImageWidth();
            int height = grabber.getImageHeight();
            if ((long) width * height > MAX_PIXELS) {
                throw new MediaException("the target is " + width + "x" + height + ", larger than the 7680x4320 the farm accepts: scale it down first");
            }
            AVStream stream = grabber.getFormatContext().streams(grabber.getVideoStream());
            AVRational rate = stream.avg_frame_rate();
            if (rate == null || rate.num() <= 0 || rate.den() <= 0) {
                rate = stream.r_frame_rate();
            }
            if (rate == null || rate.num() <= 0 || rate.den() <= 0) {
                throw new MediaException("the target video has no usable frame rate: re-encode it at a constant frame rate");
            }
            AVCodecParameters codec = stream.codecpar();
            String codecName = avcodecName(codec.codec_id());
            List<Keyframe> keyframes = new ArrayList<>();
            long frames = 0;
            try {
                Frame frame;
                while ((frame = grabber.grabFrame(false, true, false, false, false)) != null) {
                    if (frame.image == null) {
                        continue;
                    }
                    if (frame.keyFrame) {
                        keyframes.add(new Keyframe(frames, frame.timestamp));
                    }
                    frames++;
                }
            } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
                throw new MediaException("the target video is damaged after frame " + frames + " (" + firstLine(e) + "): upload an intact file", e);
            }
            if (frames == 0) {
                throw new MediaException("no frame of the target video could be decoded: the file is truncated or uses an unsupported codec (" + codecName + ")");
            }
            boolean hasAudio = grabber.getAudioStream() >= 0 && grabber.getAudioChannels() > 0;
            return new VideoInfo(frames, rate.num(), rate.den(), width, height, codecName, hasAudio,
                    hasAudio ? grabber.getSampleRate() : 0, hasAudio ? grabber.getAudioChannels() : 0, keyframes);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new MediaException("cannot read the target video: " + firstLine(e), e);
        }
    }

    private static String avcodecName(int codecId) {
        var name = org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name(codecId);
        return name == null ? "unknown" : name.getString();
    }

    /** The first line of an FFmpeg error, which carries its meaning; the rest is the native stack. */
    public static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
