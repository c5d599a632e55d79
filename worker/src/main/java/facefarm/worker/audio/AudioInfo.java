package facefarm.worker.audio;

import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoProbe;
import java.nio.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * An audio file's length, counted by decoding it all at its own rate (container durations are not trusted, as for
 * video frames), so ingest can reconcile it with the video before anything is stored.
 *
 * @param samples samples per channel
 */
public record AudioInfo(int sampleRate, int channels, long samples) {
    public double seconds() {
        return samples / (double) sampleRate;
    }

    public static AudioInfo probe(Path file) {
        return probe(file, Double.MAX_VALUE);
    }

    /** Thrown as soon as the decoded sound passes the limit: the rest is not decoded. */
    public static final class TooLong extends MediaException {
        TooLong(double seconds) {
            super("the audio lasts more than " + Math.round(seconds) + " s");
        }
    }

    /**
     * @param maxSeconds a ceiling: decoding stops, and {@link TooLong} is thrown, once the sound decoded so far is
     *     longer (a header can claim anything; only decoded samples count, and no more are decoded than the limit needs)
     */
    public static AudioInfo probe(Path file, double maxSeconds) {
        if (!Files.isRegularFile(file)) {
            throw new MediaException("audio file " + file + " does not exist");
        }
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw new MediaException("the audio is not a file FFmpeg can read (" + VideoProbe.firstLine(e) + "): give a WAV, FLAC, MP3, M4A or a video with sound", e);
            }
            int channels = grabber.getAudioChannels();
            if (grabber.getAudioStream() < 0 || channels <= 0) {
                throw new MediaException("the audio file has no audio stream: give a file with a voice track (wav, flac, mp3, m4a, ...)");
            }
            long samples = 0;
            try {
                Frame frame;
                long ceiling = maxSeconds >= Long.MAX_VALUE / Math.max(1, grabber.getSampleRate()) ? Long.MAX_VALUE
                        : (long) Math.ceil(maxSeconds * grabber.getSampleRate());
                while ((frame = grabber.grabSamples()) != null) {
                    samples += ((Buffer) frame.samples[0]).remaining() / channels;
                    if (samples > ceiling) {
                        throw new TooLong(maxSeconds);
                    }
                }
            } catch (FrameGrabber.Exception e) {
                throw new MediaException("the audio is damaged after " + samples + " samples (" + VideoProbe.firstLine(e) + "): give an intact file", e);
            }
            if (samples == 0) {
                throw new MediaException("the audio file holds no sound: give a file with a voice track");
            }
            return new AudioInfo(grabber.getSampleRate(), channels, samples);
        } catch (FrameGrabber.Exception e) {
            throw new MediaException("cannot read the audio file: " + VideoProbe.firstLine(e), e);
        }
    }
}
