package facefarm.deploy;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.audio.AudioSamples;
import facefarm.worker.media.TestVideos;
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
        return TestVideos.frames(video);
    }

    /** Peak signal-to-noise ratio of two decoded frames of the same size, in dB (infinite when equal). */
    static double psnr(byte[] a, byte[] b) {
        return TestVideos.psnr(a, b);
    }

    /** Seconds of decoded audio. */
    static double audioSeconds(Path video) {
        return AudioInfo.probe(video).seconds();
    }

    /** A file's decoded audio: interleaved float samples at its own rate. */
    record Sound(int sampleRate, int channels, float[] samples) {
    }

    static Sound sound(Path file) {
        AudioSamples audio = AudioSamples.read(file);
        return new Sound(audio.sampleRate(), audio.channels(), audio.samples());
    }
}
