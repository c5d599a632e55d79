package facefarm.worker.audio;

import java.nio.DoubleBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Wav2Lip's mel spectrogram as FaceFusion computes it (audio.py, with Wav2Lip's hparams): pre-emphasis 0.97, an STFT
 * of 800 samples every 200 (12.5 ms, so 80 columns a second) with a periodic Hann window and scipy's zero boundary
 * (400 zeros each side, so column c is centred on sample 200c), magnitudes scaled by the window's sum, then 80
 * triangular mel bands from 55 to 7600 Hz on the 401 bins (HTK mel; FaceFusion's bands touch but do not overlap).
 *
 * @param bands   80 rows of {@code columns} values, band-major
 * @param columns the number of STFT columns: ceil(samples / 200) + 1
 */
public record MelSpectrogram(float[] bands, int columns) {
    public static final int BANDS = 80;
    public static final int FFT = 800;
    public static final int HOP = 200;
    public static final int BINS = FFT / 2 + 1;
    public static final double PRE_EMPHASIS = 0.97;
    public static final double MIN_HERTZ = 55.0;
    public static final double MAX_HERTZ = 7600.0;
    /** Columns per OpenCV DFT call: bounds the memory of a long track's transform. */
    private static final int BLOCK = 1024;

    public float value(int band, int column) {
        return bands[band * columns + column];
    }

    /** The spectrogram of a whole track. */
    public static MelSpectrogram of(AudioTrack track) {
        double[] x = preEmphasised(track.samples());
        int columns = (x.length + HOP - 1) / HOP + 1;
        int[] edges = bandEdges();
        double[][] filter = filterBank(edges);
        double[] window = hann();
        float[] bands = new float[BANDS * columns];
        for (int first = 0; first < columns; first += BLOCK) {
            int count = Math.min(BLOCK, columns - first);
            double[] magnitudes = magnitudes(x, first, count, window);
            for (int c = 0; c < count; c++) {
                for (int band = 0; band < BANDS; band++) {
                    double sum = 0;
                    double[] weights = filter[band];
                    for (int bin = edges[band]; bin < edges[band + 1]; bin++) {
                        sum += weights[bin] * magnitudes[c * BINS + bin];
                    }
                    bands[band * columns + first + c] = (float) sum;
                }
            }
        }
        return new MelSpectrogram(bands, columns);
    }

    /**
     * scipy.signal.lfilter([1, -0.97], [1], x): each sample less 0.97 of the one before (none before the first). In
     * double: a smooth, quiet passage is nearly cancelled here, and float would lose what is left.
     */
    static double[] preEmphasised(float[] samples) {
        double[] out = new double[samples.length];
        double previous = 0;
        for (int i = 0; i < samples.length; i++) {
            out[i] = samples[i] - PRE_EMPHASIS * previous;
            previous = samples[i];
        }
        return out;
    }

    /** scipy's periodic Hann window of 800 samples (get_window('hann', 800)). */
    static double[] hann() {
        double[] w = new double[FFT];
        for (int n = 0; n < FFT; n++) {
            w[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / FFT);
        }
        return w;
    }

    /** |rfft| / sum(window) of columns [first, first + count), count x 401 values. */
    private static double[] magnitudes(double[] x, int first, int count, double[] window) {
        double windowSum = 0;
        for (double w : window) {
            windowSum += w;
        }
        double[] segments = new double[count * FFT];
        for (int c = 0; c < count; c++) {
            // column c covers samples [200c - 400, 200c + 400): the padded signal starts with 400 zeros
            long start = (long) (first + c) * HOP - FFT / 2;
            for (int n = 0; n < FFT; n++) {
                long i = start + n;
                segments[c * FFT + n] = i >= 0 && i < x.length ? x[(int) i] * window[n] : 0;
            }
        }
        double[] out = new double[count * BINS];
        try (Mat input = new Mat(count, FFT, opencv_core.CV_64FC1); Mat spectrum = new Mat()) {
            ((DoubleBuffer) input.createBuffer()).put(segments);
            opencv_core.dft(input, spectrum, opencv_core.DFT_ROWS | opencv_core.DFT_COMPLEX_OUTPUT, 0);
            double[] complex = new double[count * FFT * 2];
            ((DoubleBuffer) spectrum.createBuffer()).get(complex);
            for (int c = 0; c < count; c++) {
                for (int bin = 0; bin < BINS; bin++) {
                    int at = (c * FFT + bin) * 2;
                    out[c * BINS + bin] = Math.hypot(complex[at], complex[at + 1]) / windowSum;
                }
            }
        }
        return out;
    }

    static double hertzToMel(double hertz) {
        return 2595 * Math.log10(1 + hertz / 700);
    }

    static double melToHertz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /**
     * FaceFusion's bank: 82 points evenly spaced in mel from 55 to 7600 Hz, mapped to bins floor(801 f / 16000);
     * band i is scipy's symmetric triangle over bins [b_i, b_i+1).
     */
    static double[][] filterBank(int[] edges) {
        double[][] bank = new double[BANDS][BINS];
        for (int band = 0; band < BANDS; band++) {
            double[] triangle = triangle(edges[band + 1] - edges[band]);
            System.arraycopy(triangle, 0, bank[band], edges[band], triangle.length);
        }
        return bank;
    }

    /** The bins where the bands start (band i covers [edge i, edge i+1)): numpy.linspace in mel, then floor(801 f / 16000). */
    static int[] bandEdges() {
        double low = hertzToMel(MIN_HERTZ);
        double high = hertzToMel(MAX_HERTZ);
        int[] edges = new int[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            double mel = low + (high - low) * i / (BANDS + 1);
            edges[i] = (int) Math.floor((FFT + 1) * melToHertz(mel) / AudioTrack.SAMPLE_RATE);
        }
        return edges;
    }

    /** scipy.signal.windows.triang(m): the symmetric triangle that does not reach zero at its ends. */
    static double[] triangle(int m) {
        double[] w = new double[Math.max(0, m)];
        for (int n = 0; n < m; n++) {
            int k = Math.min(n, m - 1 - n) + 1;
            w[n] = m % 2 == 0 ? (2.0 * k - 1) / m : 2.0 * k / (m + 1);
        }
        return w;
    }
}
