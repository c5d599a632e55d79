package facefarm.deploy;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Decoding helpers for assertions on rendered files. */
final class Videos {
    private Videos() {
    }

    static List<byte[]> frames(Path video) {
        VideoInfo info = VideoProbe.probe(video);
        List<byte[]> frames = new ArrayList<>();
        try (FrameReader reader = new FrameReader(video, new FrameRange(0, info.frames()), Keyframe.FIRST)) {
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

    /** Seconds of decoded audio. */
    static double audioSeconds(Path video) {
        return AudioInfo.probe(video).seconds();
    }

    /** A file's decoded audio: interleaved float samples at its own rate. */
    record Sound(int sampleRate, int channels, float[] samples) {
    }

    static Sound sound(Path file) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            java.util.List<float[]> parts = new ArrayList<>();
            int total = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                java.nio.FloatBuffer buffer = (java.nio.FloatBuffer) frame.samples[0];
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
            return new Sound(grabber.getSampleRate(), grabber.getAudioChannels(), all);
        }
    }
}
