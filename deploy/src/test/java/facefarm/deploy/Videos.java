package facefarm.deploy;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
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
    static double audioSeconds(Path video) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            long samples = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                samples += frame.samples[0].limit() / grabber.getAudioChannels();
            }
            return (double) samples / grabber.getSampleRate();
        }
    }
}
