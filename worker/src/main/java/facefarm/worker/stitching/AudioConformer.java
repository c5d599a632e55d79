package facefarm.worker.stitching;

import facefarm.worker.media.MediaException;
import facefarm.worker.media.Sources;
import facefarm.worker.media.VideoProbe;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes a job's audio once, to exactly the samples of its output's frames (cut, or padded with silence): AAC for
 * mp4, FLAC (lossless) for mkv. Used when the audio cannot be copied as it is: too short, or a codec the container
 * does not take (PCM in mp4). The result is small; the stitch then copies its packets.
 */
final class AudioConformer {
    private AudioConformer() {
    }

    /** @return the audio-only file written, or null when the source has no audio */
    static Path conform(String source, Path output, String format, long frames, int fpsNumerator, int fpsDenominator) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source)) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            if (grabber.getAudioChannels() <= 0) {
                return null;
            }
            int channels = grabber.getAudioChannels();
            int rate = grabber.getSampleRate();
            long target = Math.round((double) frames * fpsDenominator * rate / fpsNumerator);
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(output.toFile(), channels)) {
                if ("mkv".equals(format)) {
                    recorder.setFormat("matroska");
                    recorder.setAudioCodec(avcodec.AV_CODEC_ID_FLAC);
                } else {
                    recorder.setFormat("mp4");
                    recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                    recorder.setAudioBitrate(192_000);
                }
                recorder.setSampleRate(rate);
                recorder.setAudioChannels(channels);
                recorder.start();
                copy(grabber, recorder, channels, rate, target);
                recorder.stop();
            }
            return output;
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new MediaException("cannot encode the audio of " + Sources.describe(source) + ": " + VideoProbe.firstLine(e), e);
        }
    }

    /** Copies samples up to {@code target}, then silence if the source ends first. */
    private static void copy(FFmpegFrameGrabber grabber, FFmpegFrameRecorder recorder, int channels, int rate, long target)
            throws FrameGrabber.Exception, FrameRecorder.Exception {
        long written = 0;
        boolean exhausted = false;
        while (written < target) {
            float[] part = null;
            if (!exhausted) {
                Frame frame = grabber.grabSamples();
                if (frame == null) {
                    exhausted = true;
                    continue;
                }
                if (frame.samples == null || frame.samples.length == 0 || !(frame.samples[0] instanceof FloatBuffer buffer)) {
                    continue;
                }
                FloatBuffer samples = buffer.duplicate();
                part = new float[(int) Math.min(target - written, samples.remaining() / channels) * channels];
                samples.get(part);
            } else {
                part = new float[(int) Math.min(target - written, rate) * channels];
            }
            if (part.length == 0) {
                continue;
            }
            // a fresh array, not a slice: the recorder reads a heap buffer from the start of its array
            recorder.recordSamples(rate, channels, (Buffer) FloatBuffer.wrap(part));
            written += part.length / channels;
        }
    }
}
