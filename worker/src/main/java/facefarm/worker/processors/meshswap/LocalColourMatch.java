package facefarm.worker.processors.meshswap;

import facefarm.worker.analysis.LowPass;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Gives the warped source the target's light and colour locally: each pixel is scaled, per channel, by the ratio of
 * the target skin's local mean to the source's (a Gaussian of {@code sigma}, over source-only pixels). The scene's
 * shading and tint come through where one global transfer would leave the face flat and off-colour, while detail finer
 * than {@code sigma} (the source's own features) stays the source's. The target's means come from the face's light
 * samples ({@code FaceLight}), which tracking smooths along the face's track, so the colour does not flicker.
 */
public final class LocalColourMatch {
    private static final double MIN_WEIGHT = 1e-3;
    private static final float MIN_GAIN = 0.33f;
    private static final float MAX_GAIN = 3f;

    private LocalColourMatch() {
    }

    /**
     * Adjusts {@code warped} (BGR, 8 bit) towards {@code targetMean} (B, G, R per pixel of the same box; NaN where
     * unknown, left as it is), the source's means taken over {@code support}.
     */
    public static void apply(Mat warped, float[] targetMean, Mat support, double sigma) {
        int pixels = (int) support.total();
        try (Mat weight = new Mat(); Mat warpedF = new Mat(); Mat warpedMean = new Mat(); Mat result = new Mat()) {
            LowPass.masked(warped, support, sigma, warpedMean, weight);
            warped.convertTo(warpedF, opencv_core.CV_32F);
            float[] w = new float[pixels];
            float[] sm = new float[pixels * 3];
            float[] v = new float[pixels * 3];
            weight.getFloatBuffer().get(w);
            warpedMean.getFloatBuffer().get(sm);
            warpedF.getFloatBuffer().get(v);
            for (int i = 0; i < pixels; i++) {
                if (w[i] < MIN_WEIGHT) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int j = 3 * i + c;
                    if (Float.isNaN(targetMean[j])) {
                        continue;
                    }
                    float gain = Math.max(MIN_GAIN, Math.min(MAX_GAIN, (targetMean[j] + 1f) / (sm[j] / w[i] + 1f)));
                    v[j] *= gain;
                }
            }
            warpedF.getFloatBuffer().put(v);
            warpedF.convertTo(result, opencv_core.CV_8U);
            result.copyTo(warped);
        }
    }
}
