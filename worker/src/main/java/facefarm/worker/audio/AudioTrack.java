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
        Decoded decoded = decode(file, SAMPLE_RATE, 0);
        return normalised(mono(decoded.samples(), decoded.channels()));
    }

    /**
     * The voice of {@code file}, as FaceFusion's lip sync hears it when a voice extractor is installed: decoded at 48 kHz
     * stereo, the voice kept by the extractor, brought down to 16 kHz, then averaged and normalised like {@link #read}.
     */
    public static AudioTrack readVoice(Path file, VoiceExtractor extractor) {
        float[] voice = extractor.extract(decode(file, VoiceExtractor.SAMPLE_RATE, 2).samples());
        return normalised(mono(Resampling.thirdOf(voice, 2), 2));
    }

    private record Decoded(float[] samples, int channels) {
    }

    /** Interleaved float samples at {@code rate}; {@code channels} 0 keeps the file's own. */
    private static Decoded decode(Path file, int rate, int channels) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleRate(rate);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            if (channels > 0) {
                grabber.setAudioChannels(channels);
            }
            grabber.start();
            int have = grabber.getAudioChannels();
            if (have == 0) {
                throw new MediaException(file.getFileName() + " has no audio stream: give a file with a voice track (wav, mp3, m4a, ...)");
            }
            float[] samples = new float[Math.max(1024, (int) Math.min(Integer.MAX_VALUE - 8, grabber.getLengthInTime() / 1_000_000.0 * rate * have + 1024))];
            int length = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                FloatBuffer interleaved = (FloatBuffer) frame.samples[0];
                int count = interleaved.remaining();
                if (length + count > samples.length) {
                    samples = java.util.Arrays.copyOf(samples, Math.max(length + count, samples.length + samples.length / 2));
                }
                interleaved.get(samples, length, count);
                length += count;
            }
            return new Decoded(java.util.Arrays.copyOf(samples, length), have);
        } catch (FrameGrabber.Exception e) {
            throw new MediaException("cannot decode the audio of " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static float[] mono(float[] interleaved, int channels) {
        float[] mono = new float[interleaved.length / channels];
        for (int i = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i * channels + c];
            }
            mono[i] = sum / channels;
        }
        return mono;
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
