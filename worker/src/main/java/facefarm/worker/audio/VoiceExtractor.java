package facefarm.worker.audio;

import facefarm.worker.inference.OnnxModel;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * FaceFusion's voice extractor (voice_extractor.py): an MDX-Net model (kim_vocal_2, kim_vocal_1, uvr_mdxnet) that keeps
 * the voice of a 48 kHz stereo track and drops music and noise, so lip sync follows the speech alone.
 * <ul>
 * <li>The track is cut into pieces of 240·1024 samples every 180·1024, and their overlaps averaged.</li>
 * <li>Each piece is padded by 3,840 zeros and cut into windows of (frames − 1)·1024 samples (frames: the model's last
 * input dimension, 256) that overlap by 2·3,840.</li>
 * <li>Each window's STFT (symmetric Hann of 7,680, hop 1,024, half a frame of zeros at each end) becomes the model's
 * (1, 4, 3072, 256) {@code input}: real and imaginary parts of each channel, the lowest 3,072 bins (to 19.2 kHz).</li>
 * <li>The output goes back through the inverse STFT (windowed overlap-add over the window's square), and each window
 * gives its middle, without the 3,840 samples at either end.</li>
 * </ul>
 */
public final class VoiceExtractor implements AutoCloseable {
    public static final List<String> MODELS = facefarm.common.jobs.OptionRules.VOICE_EXTRACTORS;
    public static final int SAMPLE_RATE = 48_000;
    static final int PIECE = 240 * 1024;
    static final int PIECE_STEP = 180 * 1024;
    static final int FRAME = 7680;
    static final int HOP = 1024;
    static final int TRIM = 3840;
    static final int BINS = 3072;

    private final OnnxModel session;
    private final int frames;
    private final int windowSize;
    private final double[] window = hann(FRAME);

    public VoiceExtractor(String modelId, Path file) {
        this.session = new OnnxModel(modelId, file);
        long last = session.inputShape("input")[3];
        this.frames = last > 0 ? (int) last : 256;
        this.windowSize = (frames - 1) * HOP;
    }

    /** The voice of a 48 kHz stereo track, interleaved left/right, as long as the track. */
    public float[] extract(float[] stereo) {
        int n = stereo.length / 2;
        float[] voice = new float[stereo.length];
        int[] covered = new int[n];
        for (int start = 0; start < n; start += PIECE_STEP) {
            int end = Math.min(start + PIECE, n);
            float[][] piece = extractPiece(stereo, start, end);
            for (int i = start; i < end; i++) {
                voice[2 * i] += piece[0][i - start];
                voice[2 * i + 1] += piece[1][i - start];
                covered[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            voice[2 * i] /= covered[i];
            voice[2 * i + 1] /= covered[i];
        }
        return voice;
    }

    /** Samples [start, end) of both channels, through the model window by window. */
    private float[][] extractPiece(float[] stereo, int start, int end) {
        int n = end - start;
        int step = windowSize - 2 * TRIM;
        int padded = n + (step - n % step);
        float[][] out = new float[2][padded];
        for (int first = 0; first < padded; first += step) {
            float[] input = new float[4 * BINS * frames];
            for (int channel = 0; channel < 2; channel++) {
                double[] segment = new double[windowSize];
                for (int k = 0; k < windowSize; k++) {
                    // the piece starts TRIM samples into its zero padding
                    int i = first + k - TRIM;
                    segment[k] = i >= 0 && i < n ? stereo[2 * (start + i) + channel] : 0;
                }
                stft(segment, input, 2 * channel);
            }
            float[] output = session.run(List.of(new OnnxModel.Input("input", input, 1, 4, BINS, frames)))[0];
            for (int channel = 0; channel < 2; channel++) {
                double[] restored = istft(output, 2 * channel);
                for (int k = TRIM; k < windowSize - TRIM; k++) {
                    out[channel][first + k - TRIM] = (float) restored[k];
                }
            }
        }
        return out;
    }

    /** Raw FFT of each windowed frame (scipy's STFT times the window's sum), bins [0, 3072), into planes p and p + 1. */
    void stft(double[] segment, float[] planes, int plane) {
        double[] rows = new double[frames * FRAME];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < FRAME; k++) {
                int i = f * HOP + k - FRAME / 2;
                rows[f * FRAME + k] = i >= 0 && i < segment.length ? segment[i] * window[k] : 0;
            }
        }
        try (Mat input = new Mat(frames, FRAME, opencv_core.CV_64FC1); Mat spectrum = new Mat()) {
            ((DoubleBuffer) input.createBuffer()).put(rows);
            opencv_core.dft(input, spectrum, opencv_core.DFT_ROWS | opencv_core.DFT_COMPLEX_OUTPUT, 0);
            double[] complex = new double[frames * FRAME * 2];
            ((DoubleBuffer) spectrum.createBuffer()).get(complex);
            int planeSize = BINS * frames;
            for (int f = 0; f < frames; f++) {
                for (int bin = 0; bin < BINS; bin++) {
                    int at = (f * FRAME + bin) * 2;
                    planes[plane * planeSize + bin * frames + f] = (float) complex[at];
                    planes[(plane + 1) * planeSize + bin * frames + f] = (float) complex[at + 1];
                }
            }
        }
    }

    /** Inverse of {@link #stft}: bins past 3072 are zero; windowed overlap-add, divided by the summed square window. */
    double[] istft(float[] planes, int plane) {
        int planeSize = BINS * frames;
        double[] rows = new double[frames * FRAME * 2];
        for (int f = 0; f < frames; f++) {
            for (int bin = 0; bin < BINS; bin++) {
                double re = planes[plane * planeSize + bin * frames + f];
                double im = planes[(plane + 1) * planeSize + bin * frames + f];
                rows[(f * FRAME + bin) * 2] = re;
                rows[(f * FRAME + bin) * 2 + 1] = im;
                if (bin > 0) {
                    // the conjugate half, so the inverse is real
                    rows[(f * FRAME + FRAME - bin) * 2] = re;
                    rows[(f * FRAME + FRAME - bin) * 2 + 1] = -im;
                }
            }
        }
        double[] signal = new double[windowSize];
        double[] norm = new double[windowSize];
        try (Mat spectrum = new Mat(frames, FRAME, opencv_core.CV_64FC2); Mat time = new Mat()) {
            ((DoubleBuffer) spectrum.createBuffer()).put(rows);
            opencv_core.dft(spectrum, time, opencv_core.DFT_ROWS | opencv_core.DFT_INVERSE | opencv_core.DFT_SCALE, 0);
            double[] complex = new double[frames * FRAME * 2];
            ((DoubleBuffer) time.createBuffer()).get(complex);
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < FRAME; k++) {
                    int i = f * HOP + k - FRAME / 2;
                    if (i >= 0 && i < windowSize) {
                        signal[i] += complex[(f * FRAME + k) * 2] * window[k];
                        norm[i] += window[k] * window[k];
                    }
                }
            }
        }
        for (int i = 0; i < windowSize; i++) {
            signal[i] = norm[i] > 1e-10 ? signal[i] / norm[i] : signal[i];
        }
        return signal;
    }

    /** scipy.signal.windows.hann(n): symmetric. */
    static double[] hann(int n) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / (n - 1));
        }
        return w;
    }

    @Override
    public void close() {
        session.close();
    }
}
