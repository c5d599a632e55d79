package facefarm.worker.processors.meshswap;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Gives the warped source the target's light and colour locally: each pixel is scaled, per channel, by the ratio of
 * the target's to the source's neighbourhood mean (a Gaussian of {@code sigma}, over source-only pixels). The scene's
 * shading and tint come through where one global transfer would leave the face flat and off-colour, while detail finer
 * than {@code sigma} (the source's own features) stays the source's. It reads only the current frame, so it follows
 * the scene's light as smoothly as the footage does and a chunked render equals a whole one.
 */
public final class LocalColourMatch {
    private static final double MIN_WEIGHT = 1e-3;
    private static final float MIN_GAIN = 0.33f;
    private static final float MAX_GAIN = 3f;

    private LocalColourMatch() {
    }

    /**
     * A Gaussian blur of {@code sigma}, done at a quarter of sigma's scale: the means it gives are smooth on that scale
     * anyway, and a full-size blur this wide costs more than the rest of the swap.
     */
    private static void lowPass(Mat image, double sigma) {
        double scale = Math.max(1, sigma / 4);
        if (scale < 2) {
            opencv_imgproc.GaussianBlur(image, image, new Size(0, 0), sigma);
            return;
        }
        Size full = image.size();
        try (Mat small = new Mat()) {
            opencv_imgproc.resize(image, small, new Size(Math.max(1, (int) Math.round(full.width() / scale)), Math.max(1, (int) Math.round(full.height() / scale))),
                    0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.GaussianBlur(small, small, new Size(0, 0), sigma / scale);
            opencv_imgproc.resize(small, image, full, 0, 0, opencv_imgproc.INTER_LINEAR);
        }
    }

    /** Adjusts {@code warped} (BGR, 8 bit) towards {@code target} (the same size), judged over {@code support}. */
    public static void apply(Mat warped, Mat target, Mat support, double sigma) {
        int pixels = (int) support.total();
        try (Mat weight = new Mat(); Mat warpedF = new Mat(); Mat targetF = new Mat(); Mat warpedMean = new Mat(); Mat targetMean = new Mat();
             Mat weight3 = new Mat(); Mat result = new Mat()) {
            support.convertTo(weight, opencv_core.CV_32F, 1 / 255.0, 0);
            warped.convertTo(warpedF, opencv_core.CV_32F);
            target.convertTo(targetF, opencv_core.CV_32F);
            try (MatVector channels = new MatVector(weight, weight, weight)) {
                opencv_core.merge(channels, weight3);
            }
            opencv_core.multiply(warpedF, weight3, warpedMean);
            opencv_core.multiply(targetF, weight3, targetMean);
            lowPass(warpedMean, sigma);
            lowPass(targetMean, sigma);
            lowPass(weight, sigma);
            float[] w = new float[pixels];
            float[] sm = new float[pixels * 3];
            float[] tm = new float[pixels * 3];
            float[] v = new float[pixels * 3];
            weight.getFloatBuffer().get(w);
            warpedMean.getFloatBuffer().get(sm);
            targetMean.getFloatBuffer().get(tm);
            warpedF.getFloatBuffer().get(v);
            for (int i = 0; i < pixels; i++) {
                if (w[i] < MIN_WEIGHT) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int j = 3 * i + c;
                    // the weights cancel: the ratio of weighted sums is the ratio of the two local means
                    float gain = Math.max(MIN_GAIN, Math.min(MAX_GAIN, (tm[j] + 1f) / (sm[j] + 1f)));
                    v[j] *= gain;
                }
            }
            warpedF.getFloatBuffer().put(v);
            warpedF.convertTo(result, opencv_core.CV_8U);
            result.copyTo(warped);
        }
    }
}
