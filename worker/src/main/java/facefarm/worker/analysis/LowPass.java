package facefarm.worker.analysis;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/** A wide Gaussian blur, done at a quarter of sigma's scale: the means it gives are smooth on that scale anyway. */
public final class LowPass {
    private LowPass() {
    }

    /**
     * The low-passed sums of a BGR image's pixels inside a mask ({@code sums}, CV_32FC3) and of the mask itself
     * ({@code weights}, CV_32FC1, 0 to 1): their ratio at a pixel is the mean colour of the mask's pixels around it.
     */
    public static void masked(Mat image, Mat mask, double sigma, Mat sums, Mat weights) {
        try (Mat weight3 = new Mat()) {
            mask.convertTo(weights, opencv_core.CV_32F, 1 / 255.0, 0);
            image.convertTo(sums, opencv_core.CV_32F);
            try (MatVector channels = new MatVector(weights, weights, weights)) {
                opencv_core.merge(channels, weight3);
            }
            opencv_core.multiply(sums, weight3, sums);
        }
        apply(sums, sigma);
        apply(weights, sigma);
    }

    /** Blurs {@code image} in place with a Gaussian of {@code sigma}; a full-size blur this wide costs more than a swap. */
    public static void apply(Mat image, double sigma) {
        double scale = Math.max(1, sigma / 4);
        if (scale < 2) {
            opencv_imgproc.GaussianBlur(image, image, new Size(0, 0), sigma);
            return;
        }
        Size full = image.size();
        try (Mat small = new Mat()) {
            Size reduced = new Size(Math.max(1, (int) Math.round(full.width() / scale)), Math.max(1, (int) Math.round(full.height() / scale)));
            opencv_imgproc.resize(image, small, reduced, 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.GaussianBlur(small, small, new Size(0, 0), sigma / scale);
            opencv_imgproc.resize(small, image, full, 0, 0, opencv_imgproc.INTER_LINEAR);
        }
    }
}
