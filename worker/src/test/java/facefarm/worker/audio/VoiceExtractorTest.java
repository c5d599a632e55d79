package facefarm.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.inference.OnnxGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The voice extractor's STFT, model I/O and inverse STFT, with graphs of MDX-Net's shape ((1, 4, 3072, 256) in and out)
 * built here: one that keeps its input must give the track back, one that silences the second channel's planes must
 * silence the right channel only.
 */
class VoiceExtractorTest {
    @TempDir
    Path dir;

    private Path mdx(String name, float[] planeGains) {
        return new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 4, 3072, 256).output("output", OnnxGraph.FLOAT, 1, 4, 3072, 256)
                .initializer("gains", planeGains, 1, 4, 1, 1).node("Mul", List.of("input", "gains"), List.of("output"))
                .write(dir.resolve(name + ".onnx"));
    }

    /**
     * A voiced sound at 48 kHz: harmonics of 150 Hz up to 6 kHz, swelling and fading twice a second, 8.3 s long (so several
     * overlapping pieces); the right channel at half volume. All of it is below the model's 19.2 kHz.
     */
    private static float[] stereoVoice() {
        int n = (int) (8.3 * VoiceExtractor.SAMPLE_RATE);
        float[] stereo = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) VoiceExtractor.SAMPLE_RATE;
            double v = 0;
            for (int h = 1; h * 150 <= 6000; h++) {
                v += Math.sin(2 * Math.PI * 150 * h * t + h) / h;
            }
            v *= 0.2 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 2 * t));
            stereo[2 * i] = (float) v;
            stereo[2 * i + 1] = (float) (v / 2);
        }
        return stereo;
    }

    @Test
    void aModelThatKeepsItsInputGivesTheTrackBack() {
        float[] stereo = stereoVoice();
        try (VoiceExtractor extractor = new VoiceExtractor("kim_vocal_2", mdx("keep", new float[] {1, 1, 1, 1}))) {
            float[] voice = extractor.extract(stereo);
            assertEquals(stereo.length, voice.length);
            double error = 0;
            double energy = 0;
            for (int i = 0; i < stereo.length; i++) {
                error += (voice[i] - stereo[i]) * (voice[i] - stereo[i]);
                energy += stereo[i] * stereo[i];
            }
            double relative = Math.sqrt(error / energy);
            // 4.6e-4 measured: the track's abrupt start and end are clicks whose content above 19.2 kHz the model never sees
            assertTrue(relative < 1e-3, "relative error " + relative);
        }
    }

    @Test
    void theModelsFourPlanesAreLeftRealLeftImaginaryRightRealRightImaginary() {
        float[] stereo = stereoVoice();
        try (VoiceExtractor extractor = new VoiceExtractor("kim_vocal_2", mdx("left", new float[] {1, 1, 0, 0}))) {
            float[] voice = extractor.extract(stereo);
            double left = 0;
            double right = 0;
            for (int i = 0; i < voice.length / 2; i++) {
                left += voice[2 * i] * voice[2 * i];
                right += voice[2 * i + 1] * voice[2 * i + 1];
            }
            assertTrue(left > 100, "the left channel stays: " + left);
            assertEquals(0, right, 1e-9, "the right channel is silenced");
        }
    }

    @Test
    void downsamplingKeepsTheVoiceBandAndDropsWhatWouldAlias() {
        int n = 48_000;
        float[] low = new float[n];
        float[] high = new float[n];
        for (int i = 0; i < n; i++) {
            low[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 48_000.0);
            high[i] = (float) Math.sin(2 * Math.PI * 12_000 * i / 48_000.0);
        }
        float[] lowOut = Resampling.thirdOf(low, 1);
        float[] highOut = Resampling.thirdOf(high, 1);
        assertEquals(16_000, lowOut.length);
        double lowPeak = 0;
        double highPeak = 0;
        for (int i = 100; i < lowOut.length - 100; i++) {
            lowPeak = Math.max(lowPeak, Math.abs(lowOut[i] - Math.sin(2 * Math.PI * 1000 * i / 16_000.0)));
            highPeak = Math.max(highPeak, Math.abs(highOut[i]));
        }
        assertTrue(lowPeak < 0.01, "1 kHz comes through at 16 kHz, off by " + lowPeak);
        assertTrue(highPeak < 0.01, "12 kHz, above the new Nyquist, is filtered out: " + highPeak);
    }
}
