package facefarm.coordinator.stitching;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Joins lossless chunk files into the final video: every chunk frame in order (their counts checked), then the
 * source's audio muxed once, interleaved with the video, trimmed or padded with silence to exactly N / fps.
 */
public final class VideoStitcher {

    /** What to write: "mp4" (H.264 + AAC) or "mkv" (lossless FFV1 + FLAC). */
    public record Output(Path file, String format, int width, int height, int fpsNumerator, int fpsDenominator) {
    }

    public record Chunk(Path file, long frames) {
    }

    private VideoStitcher() {
    }

    /** @return frames written */
    public static long stitch(List<Chunk> chunks, Path audioSource, Output output) throws FrameGrabber.Exception, FrameRecorder.Exception {
        long expected = chunks.stream().mapToLong(Chunk::frames).sum();
        FFmpegFrameGrabber audio = audioSource == null ? null : openAudio(audioSource);
        try (FFmpegFrameRecorder recorder = recorder(output, audio)) {
            AudioTrack track = audio == null ? null : new AudioTrack(audio, recorder);
            long written = 0;
            for (Chunk chunk : chunks) {
                long frames = 0;
                try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(chunk.file().toFile())) {
                    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
                    grabber.start();
                    Frame frame;
                    while ((frame = grabber.grabImage()) != null) {
                        recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                        frames++;
                        written++;
                        if (track != null) {
                            track.writeUntil(samplesAt(written, output, audio.getSampleRate()));
                        }
                    }
                }
                if (frames != chunk.frames()) {
                    throw new IllegalStateException("chunk " + chunk.file().getFileName() + " holds " + frames + " frames, expected " + chunk.frames());
                }
            }
            if (track != null) {
                track.writeUntil(samplesAt(expected, output, audio.getSampleRate()));
            }
            recorder.stop();
            return written;
        } finally {
            if (audio != null) {
                audio.close();
            }
        }
    }

    /** Audio samples that belong to the first {@code frames} video frames. */
    static long samplesAt(long frames, Output output, int sampleRate) {
        return Math.round((double) frames * output.fpsDenominator() * sampleRate / output.fpsNumerator());
    }

    private static FFmpegFrameGrabber openAudio(Path source) throws FrameGrabber.Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toFile());
        grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
        grabber.start();
        if (grabber.getAudioChannels() <= 0) {
            grabber.close();
            return null;
        }
        return grabber;
    }

    private static FFmpegFrameRecorder recorder(Output output, FFmpegFrameGrabber audio) throws FrameRecorder.Exception {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(output.file().toFile(), output.width(), output.height(),
                audio == null ? 0 : audio.getAudioChannels());
        recorder.setFrameRate((double) output.fpsNumerator() / output.fpsDenominator());
        if ("mkv".equals(output.format())) {
            recorder.setFormat("matroska");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_BGR0);
            recorder.setGopSize(1);
            recorder.setVideoOption("level", "3");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_FLAC);
        } else {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setVideoBitrate((int) Math.min(50_000_000L, Math.max(2_000_000L,
                    (long) output.width() * output.height() * output.fpsNumerator() / output.fpsDenominator() / 6)));
            recorder.setGopSize(Math.max(1, 2 * output.fpsNumerator() / output.fpsDenominator()));
            recorder.setVideoOption("allow_skip_frames", "0");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setAudioBitrate(192_000);
        }
        if (audio != null) {
            recorder.setSampleRate(audio.getSampleRate());
            recorder.setAudioChannels(audio.getAudioChannels());
        }
        recorder.start();
        return recorder;
    }

    /** Copies the source's audio into the recorder up to a sample count, then silence if the source ends first. */
    private static final class AudioTrack {
        private final FFmpegFrameGrabber grabber;
        private final FFmpegFrameRecorder recorder;
        private final int channels;
        private final int sampleRate;
        private FloatBuffer pending;
        private boolean exhausted;
        private long written;

        AudioTrack(FFmpegFrameGrabber grabber, FFmpegFrameRecorder recorder) {
            this.grabber = grabber;
            this.recorder = recorder;
            this.channels = grabber.getAudioChannels();
            this.sampleRate = grabber.getSampleRate();
        }

        void writeUntil(long target) throws FrameGrabber.Exception, FrameRecorder.Exception {
            while (written < target) {
                if (pending == null || !pending.hasRemaining()) {
                    pending = exhausted ? null : next();
                }
                long missing = target - written;
                FloatBuffer slice;
                if (pending == null) {
                    slice = FloatBuffer.allocate((int) Math.min(missing, sampleRate) * channels);
                } else {
                    // a copy, not a slice(): the recorder reads a heap buffer from the start of its array, not its offset
                    float[] part = new float[(int) Math.min(missing, pending.remaining() / channels) * channels];
                    pending.get(part);
                    slice = FloatBuffer.wrap(part);
                }
                int samples = slice.remaining() / channels;
                if (samples == 0) {
                    pending = null;
                    continue;
                }
                recorder.recordSamples(sampleRate, channels, (Buffer) slice);
                written += samples;
            }
        }

        private FloatBuffer next() throws FrameGrabber.Exception {
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples != null && frame.samples.length > 0 && frame.samples[0] instanceof FloatBuffer buffer) {
                    FloatBuffer copy = FloatBuffer.allocate(buffer.remaining());
                    copy.put(buffer.duplicate());
                    copy.flip();
                    return copy;
                }
            }
            exhausted = true;
            return null;
        }
    }
}
