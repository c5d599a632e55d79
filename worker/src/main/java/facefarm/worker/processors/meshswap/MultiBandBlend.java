package facefarm.worker.processors.meshswap;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Multi-band blending (Burt and Adelson, "A multiresolution spline with application to image mosaics", 1983): both
 * images are split into Laplacian pyramids and each band is blended with the mask blurred to that band's scale, so
 * coarse light and colour meet over a wide transition and fine detail over a narrow one, leaving no visible seam.
 */
public final class MultiBandBlend {
    private MultiBandBlend() {
    }

    /**
     * {@code background} (BGR, 8 bit) becomes {@code foreground} where {@code alpha} (CV_32FC1, 0-1) is 1 and stays
     * itself where the mask's coarsest band is 0.
     */
    public static void blend(Mat foreground, Mat background, Mat alpha, int levels) {
        try (Mat fg = new Mat(); Mat bg = new Mat(); Mat a3 = new Mat()) {
            foreground.convertTo(fg, opencv_core.CV_32F);
            background.convertTo(bg, opencv_core.CV_32F);
            try (MatVector channels = new MatVector(alpha, alpha, alpha)) {
                opencv_core.merge(channels, a3);
            }
            List<Mat> fgBands = laplacian(fg, levels);
            List<Mat> bgBands = laplacian(bg, levels);
            List<Mat> masks = gaussian(a3, levels);
            Mat collapsed = null;
            for (int level = levels; level >= 0; level--) {
                Mat band = mix(fgBands.get(level), bgBands.get(level), masks.get(level));
                if (collapsed != null) {
                    try (Mat up = new Mat()) {
                        opencv_imgproc.pyrUp(collapsed, up, band.size(), opencv_core.BORDER_DEFAULT);
                        opencv_core.add(band, up, band);
                    }
                    collapsed.close();
                }
                collapsed = band;
            }
            collapsed.convertTo(background, opencv_core.CV_8U);
            collapsed.close();
            fgBands.forEach(Mat::close);
            bgBands.forEach(Mat::close);
            masks.forEach(Mat::close);
        }
    }

    /** The number of levels that keeps the coarsest band at least 8 px on its shorter side, at most 6. */
    public static int levelsFor(int width, int height) {
        int levels = 0;
        for (int side = Math.min(width, height); side >= 16 && levels < 6; side /= 2) {
            levels++;
        }
        return levels;
    }

    private static Mat mix(Mat fg, Mat bg, Mat mask) {
        Mat out = new Mat();
        try (Mat inverse = new Mat(); Mat part = new Mat(); Mat ones = new Mat(mask.size(), mask.type(), new org.bytedeco.opencv.opencv_core.Scalar(1, 1, 1, 1))) {
            opencv_core.subtract(ones, mask, inverse);
            opencv_core.multiply(fg, mask, out);
            opencv_core.multiply(bg, inverse, part);
            opencv_core.add(out, part, out);
        }
        return out;
    }

    private static List<Mat> gaussian(Mat image, int levels) {
        List<Mat> out = new ArrayList<>(levels + 1);
        out.add(image.clone());
        for (int level = 1; level <= levels; level++) {
            Mat down = new Mat();
            opencv_imgproc.pyrDown(out.get(level - 1), down);
            out.add(down);
        }
        return out;
    }

    private static List<Mat> laplacian(Mat image, int levels) {
        List<Mat> gauss = gaussian(image, levels);
        List<Mat> out = new ArrayList<>(levels + 1);
        for (int level = 0; level < levels; level++) {
            Mat band = new Mat();
            try (Mat up = new Mat()) {
                opencv_imgproc.pyrUp(gauss.get(level + 1), up, gauss.get(level).size(), opencv_core.BORDER_DEFAULT);
                opencv_core.subtract(gauss.get(level), up, band);
            }
            out.add(band);
            gauss.get(level).close();
        }
        out.add(gauss.get(levels));
        return out;
    }
}
