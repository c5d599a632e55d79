package facefarm.deploy;

import facefarm.common.provenance.WatermarkPayload;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.audio.AudioSamples;
import facefarm.worker.media.TestVideos;
import facefarm.worker.provenance.WatermarkEmbedder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Decoding helpers for assertions on rendered files. */
final class Videos {
    private Videos() {
    }

    /**
     * The farm setting that leaves outputs unmarked, for tests that compare a render's pixels with the target's, or
     * with another job's render (whose watermark names another job).
     */
    static final Map<String, String> UNMARKED = Map.of("FARM_PROVENANCE_WATERMARK", "false");

    /** BGR frames of the given size with the farm's watermark for that payload written in, as a worker writes it. */
    static List<byte[]> marked(List<byte[]> frames, int width, int height, WatermarkPayload payload) {
        WatermarkEmbedder embedder = new WatermarkEmbedder(payload);
        List<byte[]> marked = new ArrayList<>();
        for (byte[] frame : frames) {
            try (Mat image = new Mat(height, width, opencv_core.CV_8UC3)) {
                ((ByteBuffer) image.createBuffer()).put(frame);
                embedder.mark(image);
                byte[] bytes = new byte[frame.length];
                ((ByteBuffer) image.createBuffer()).get(bytes);
                marked.add(bytes);
            }
        }
        return marked;
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
