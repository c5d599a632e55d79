package facefarm.worker.audio;

import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoProbe;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** A file's whole audio at its own rate and channel count, as interleaved floats. */
public record AudioSamples(int sampleRate, int channels, float[] samples) {
    public static AudioSamples read(Path file) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (Frame frame; (frame = grabber.grabSamples()) != null; ) {
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                float[] part = new float[buffer.remaining()];
                buffer.get(part);
                parts.add(part);
                total += part.length;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return new AudioSamples(grabber.getSampleRate(), grabber.getAudioChannels(), all);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new MediaException("cannot read the audio of " + file + ": " + VideoProbe.firstLine(e), e);
        }
    }
}
