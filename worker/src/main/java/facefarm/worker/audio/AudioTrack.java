package facefarm.worker.audio;

import facefarm.worker.media.MediaException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * An audio track as the lip syncer reads it (FaceFusion's audio.py): decoded by FFmpeg at 16 kHz, its channels
 * averaged, then divided by the peak so the loudest sample is ±1. Samples stay in float from the decoder on (FaceFusion
 * goes through 16-bit stereo, which rounds quiet passages of a mono file once more).
 *
 * @param samples mono samples at {@link #SAMPLE_RATE}, peak-normalised
 */
public record AudioTrack(float[] samples) {
    public static final int SAMPLE_RATE = 16_000;

    public double seconds() {
        return samples.length / (double) SAMPLE_RATE;
    }

    /** Decodes the audio of {@code file} (any container FFmpeg reads, video files included). */
    public static AudioTrack read(Path file) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleRate(SAMPLE_RATE);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            int channels = grabber.getAudioChannels();
            if (channels == 0) {
                throw new MediaException(file.getFileName() + " has no audio stream: give a file with a voice track (wav, mp3, m4a, ...)");
            }
            float[] mono = new float[Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 8, grabber.getLengthInTime() / 1_000_000.0 * SAMPLE_RATE + 1024))];
            int length = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                FloatBuffer interleaved = (FloatBuffer) frame.samples[0];
                int count = interleaved.remaining() / channels;
                if (length + count > mono.length) {
                    mono = java.util.Arrays.copyOf(mono, Math.max(length + count, mono.length + mono.length / 2));
                }
                for (int i = 0; i < count; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += interleaved.get();
                    }
                    mono[length++] = sum / channels;
                }
            }
            return normalised(java.util.Arrays.copyOf(mono, length));
        } catch (FrameGrabber.Exception e) {
            throw new MediaException("cannot decode the audio of " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The samples divided by their peak; silence stays silence. */
    public static AudioTrack normalised(float[] mono) {
        float peak = 0;
        for (float v : mono) {
            peak = Math.max(peak, Math.abs(v));
        }
        float[] out = new float[mono.length];
        if (peak > 0) {
            for (int i = 0; i < mono.length; i++) {
                out[i] = mono[i] / peak;
            }
        }
        return new AudioTrack(out);
    }
}
