package facefarm.worker.masks;

import facefarm.worker.analysis.Point;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * FaceFusion's crop-space masks as single-channel float {@link Mat}s in [0, 1]: box (blurred border and padding) and
 * area (hulls of 68 landmarks); occlusion and region come from {@link OcclusionMasker} and {@link RegionMasker}.
 * Masks combine by element-wise minimum.
 */
public final class FaceMasks {
    /** Landmark indices (of 68) whose convex hull makes each area. */
    public static final Map<String, int[]> AREAS = Map.of(
            "upper-face", new int[] {0, 1, 2, 31, 32, 33, 34, 35, 14, 15, 16, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17},
            "lower-face", new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 35, 34, 33, 32, 31},
            "mouth", new int[] {48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67});

    private FaceMasks() {
    }

    /**
     * @param blur FaceFusion's --face-mask-blur (default 0.3)
     * @param padding top, right, bottom, left in percent of the crop
     */
    public static Mat box(int width, int height, float blur, int[] padding) {
        int blurAmount = (int) (width * 0.5 * blur);
        int blurArea = Math.max(blurAmount / 2, 1);
        Mat mask = new Mat(height, width, opencv_core.CV_32FC1, new Scalar(1));
        int top = Math.max(blurArea, (int) (height * padding[0] / 100.0));
        int right = Math.max(blurArea, (int) (width * padding[1] / 100.0));
        int bottom = Math.max(blurArea, (int) (height * padding[2] / 100.0));
        int left = Math.max(blurArea, (int) (width * padding[3] / 100.0));
        zero(mask, 0, 0, width, Math.min(top, height));
        zero(mask, 0, Math.max(0, height - bottom), width, height);
        zero(mask, 0, 0, Math.min(left, width), height);
        zero(mask, Math.max(0, width - right), 0, width, height);
        if (blurAmount > 0) {
            opencv_imgproc.GaussianBlur(mask, mask, new Size(0, 0), blurAmount * 0.25);
        }
        return mask;
    }

    private static void zero(Mat mask, int x1, int y1, int x2, int y2) {
        if (x2 > x1 && y2 > y1) {
            try (Mat roi = mask.apply(new org.bytedeco.opencv.opencv_core.Rect(x1, y1, x2 - x1, y2 - y1))) {
                roi.put(new Scalar(0));
            }
        }
    }

    /** Filled hulls of the chosen areas of the 68 crop-space landmarks, blurred (sigma 5) and remapped. */
    public static Mat area(int width, int height, List<Point> landmark68, List<String> areas) {
        Mat mask = new Mat(height, width, opencv_core.CV_32FC1, new Scalar(0));
        for (String area : areas) {
            int[] indices = AREAS.get(area);
            if (indices == null) {
                throw new IllegalArgumentException("unknown face mask area '" + area + "' (known: upper-face, lower-face, mouth)");
            }
            try (Mat points = new Mat(indices.length, 1, opencv_core.CV_32SC2); Mat hull = new Mat()) {
                java.nio.IntBuffer buffer = points.createBuffer();
                for (int i : indices) {
                    buffer.put(Math.round(landmark68.get(i).x())).put(Math.round(landmark68.get(i).y()));
                }
                opencv_imgproc.convexHull(points, hull);
                opencv_imgproc.fillConvexPoly(mask, hull, new Scalar(1), opencv_imgproc.LINE_8, 0);
            }
        }
        return smoothAndRemap(mask);
    }

    /** FaceFusion's finishing of occlusion, area and region masks: GaussianBlur sigma 5, then (clip(m, 0.5, 1) - 0.5) * 2. */
    public static Mat smoothAndRemap(Mat mask) {
        opencv_imgproc.GaussianBlur(mask, mask, new Size(0, 0), 5);
        float[] values = new float[(int) mask.total()];
        java.nio.FloatBuffer buffer = mask.createBuffer();
        buffer.get(values);
        for (int i = 0; i < values.length; i++) {
            values[i] = (Math.max(0.5f, Math.min(1f, values[i])) - 0.5f) * 2f;
        }
        buffer.rewind();
        buffer.put(values);
        return mask;
    }

    /** The crop's BGR bytes at {@code size} x {@code size} (resized only when it is another size), for a model's input. */
    static byte[] bgrAt(Mat crop, int size) {
        byte[] bgr = new byte[size * size * 3];
        if (crop.cols() == size && crop.rows() == size) {
            ((java.nio.ByteBuffer) crop.createBuffer()).get(bgr);
            return bgr;
        }
        try (Mat resized = new Mat()) {
            opencv_imgproc.resize(crop, resized, new Size(size, size));
            ((java.nio.ByteBuffer) resized.createBuffer()).get(bgr);
        }
        return bgr;
    }

    /** A square model output map resized to the crop, then smoothed and remapped. */
    static Mat fromModelMap(float[] values, int size, int width, int height) {
        Mat mask = new Mat();
        try (Mat map = new Mat(size, size, opencv_core.CV_32FC1)) {
            ((java.nio.FloatBuffer) map.createBuffer()).put(values);
            opencv_imgproc.resize(map, mask, new Size(width, height));
        }
        return smoothAndRemap(mask);
    }

    /** Element-wise minimum of all masks, clipped to [0, 1]; the first mask is overwritten and returned. */
    public static Mat combine(List<Mat> masks) {
        Mat result = masks.get(0);
        for (int i = 1; i < masks.size(); i++) {
            opencv_core.min(result, masks.get(i), result);
        }
        opencv_imgproc.threshold(result, result, 1, 1, opencv_imgproc.THRESH_TRUNC);
        opencv_imgproc.threshold(result, result, 0, 0, opencv_imgproc.THRESH_TOZERO);
        return result;
    }
}
