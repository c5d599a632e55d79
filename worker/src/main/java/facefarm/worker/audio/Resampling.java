package facefarm.worker.audio;

/**
 * 48 kHz to 16 kHz for the extracted voice: a 97-tap Blackman-windowed sinc low-pass at 7.6 kHz (the top of the mel
 * bank, well inside the new 8 kHz Nyquist), then every third sample. floor(n / 3) samples come out, as FaceFusion's
 * resample to int(n · 16000 / 48000) gives.
 */
final class Resampling {
    static final int TAPS = 97;
    private static final double[] KERNEL = kernel();

    private Resampling() {
    }

    static double[] kernel() {
        double cutoff = 7600.0 / VoiceExtractor.SAMPLE_RATE;
        double[] h = new double[TAPS];
        double sum = 0;
        int middle = TAPS / 2;
        for (int k = 0; k < TAPS; k++) {
            int t = k - middle;
            double sinc = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double blackman = 0.42 - 0.5 * Math.cos(2 * Math.PI * k / (TAPS - 1)) + 0.08 * Math.cos(4 * Math.PI * k / (TAPS - 1));
            h[k] = sinc * blackman;
            sum += h[k];
        }
        for (int k = 0; k < TAPS; k++) {
            h[k] /= sum;
        }
        return h;
    }

    /** Interleaved samples at a third of their rate. */
    static float[] thirdOf(float[] interleaved, int channels) {
        int n = interleaved.length / channels;
        int out = n / 3;
        int middle = TAPS / 2;
        float[] result = new float[out * channels];
        for (int m = 0; m < out; m++) {
            for (int c = 0; c < channels; c++) {
                double acc = 0;
                for (int k = 0; k < TAPS; k++) {
                    int i = 3 * m + k - middle;
                    if (i >= 0 && i < n) {
                        acc += KERNEL[k] * interleaved[i * channels + c];
                    }
                }
                result[m * channels + c] = (float) acc;
            }
        }
        return result;
    }
}
