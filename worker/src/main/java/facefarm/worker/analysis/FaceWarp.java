package facefarm.worker.analysis;

import java.nio.DoubleBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_calib3d;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * FaceFusion's landmark crop: a 4-DOF similarity from the 5 points to a template (OpenCV's estimateAffinePartial2D with
 * RANSAC, reprojection threshold 100), then warpAffine with INTER_AREA and replicated borders.
 */
public final class FaceWarp {
    private FaceWarp() {
    }

    /** The 2x3 affine matrix [a, b, tx; c, d, ty] taking frame points onto the template at {@code size}. */
    public static double[] matrix(List<Point> landmark5, WarpTemplate template, int size) {
        return estimate(landmark5, template.points(size));
    }

    static double[] estimate(List<Point> from, List<Point> to) {
        try (Mat src = points(from); Mat dst = points(to); Mat inliers = new Mat()) {
            Mat m = opencv_calib3d.estimateAffinePartial2D(src, dst, inliers, opencv_calib3d.RANSAC, 100, 2000, 0.99, 10);
            if (m == null || m.empty()) {
                throw new IllegalArgumentException("cannot align the face: its landmarks are degenerate " + from);
            }
            double[] out = new double[6];
            m.convertTo(m, opencv_core.CV_64F);
            ((DoubleBuffer) m.createBuffer()).get(out);
            m.close();
            return out;
        }
    }

    /** The crop of {@code size} x {@code size} pixels that the matrix maps the frame onto. */
    public static Mat crop(Mat frame, double[] matrix, int size) {
        Mat crop = new Mat();
        try (Mat m = matrixMat(matrix)) {
            opencv_imgproc.warpAffine(frame, crop, m, new Size(size, size), opencv_imgproc.INTER_AREA, opencv_core.BORDER_REPLICATE, new Scalar());
        }
        return crop;
    }

    public static double[] invert(double[] m) {
        double det = m[0] * m[4] - m[1] * m[3];
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("the crop transform is not invertible");
        }
        double a = m[4] / det;
        double b = -m[1] / det;
        double c = -m[3] / det;
        double d = m[0] / det;
        return new double[] {a, b, -(a * m[2] + b * m[5]), c, d, -(c * m[2] + d * m[5])};
    }

    public static Point apply(double[] m, Point p) {
        return new Point((float) (m[0] * p.x() + m[1] * p.y() + m[2]), (float) (m[3] * p.x() + m[4] * p.y() + m[5]));
    }

    public static List<Point> apply(double[] m, List<Point> points) {
        return points.stream().map(p -> apply(m, p)).toList();
    }

    public static Mat matrixMat(double[] m) {
        Mat mat = new Mat(2, 3, opencv_core.CV_64F);
        ((DoubleBuffer) mat.createBuffer()).put(m);
        return mat;
    }

    private static Mat points(List<Point> points) {
        Mat mat = new Mat(points.size(), 1, opencv_core.CV_32FC2);
        java.nio.FloatBuffer buffer = mat.createBuffer();
        for (Point p : points) {
            buffer.put(p.x()).put(p.y());
        }
        return mat;
    }

    /** A BGR crop as NCHW floats, channels in BGR or RGB order, each 0-255 value mapped by {@code normalise}. */
    public static float[] planes(Mat crop, boolean rgb, DetectorInput.ValueMap normalise) {
        int plane = crop.cols() * crop.rows();
        byte[] bgr = new byte[plane * 3];
        ((java.nio.ByteBuffer) crop.createBuffer()).get(bgr);
        float[] nchw = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int source = rgb ? 2 - c : c;
            for (int i = 0; i < plane; i++) {
                nchw[c * plane + i] = normalise.apply(bgr[3 * i + source] & 0xff);
            }
        }
        return nchw;
    }
}
