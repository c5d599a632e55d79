package facefarm.worker.analysis;

import java.nio.ByteBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * How open the target's eyes look, read from its pixels rather than its mesh (this FaceMesh model keeps its lids
 * open through blinks): the share of the pixels between the mesh's lid margins that are not lid skin. An open eye
 * shows sclera and iris there, a closed one the lid; the skin is sampled in a ring around the same eye of the same
 * frame, so the reading needs no calibration per person or per light.
 */
public final class EyeOpening {
    /** The skin ring around the lid margins, in eye widths. */
    static final double RING_INNER = 0.12;
    static final double RING_OUTER = 0.3;
    /** How far from the ring's median (Lab, 8-bit scale) a pixel is no longer lid skin: chroma, and lightness. */
    static final double CHROMA_APART = 7;
    static final double LIGHTNESS_APART = 28;

    /**
     * A typical reading of open eyes (open frames of face_1, face_2 and face_4 read 0.64 to 0.98), for a face with no
     * track to judge it by: a track's own open eyes are the better measure, since eye shapes differ.
     */
    public static final double TYPICAL_OPEN = 0.85;

    private EyeOpening() {
    }

    /** {@code reading} over {@code openEyes}, or over {@link #TYPICAL_OPEN} when that is unknown; NaN without a reading. */
    public static double relative(double reading, double openEyes) {
        return reading / (openEyes > 0 ? openEyes : TYPICAL_OPEN);
    }

    /** The mean over both eyes, in [0, 1]; NaN when neither eye is inside the frame. */
    public static double of(Mat frame, List<Point> points) {
        double right = eye(frame, points, MeshRegions.EYE_CORNERS[0], MeshRegions.EYE_CORNERS[1], MeshRegions.RIGHT_EYE);
        double left = eye(frame, points, MeshRegions.EYE_CORNERS[2], MeshRegions.EYE_CORNERS[3], MeshRegions.LEFT_EYE);
        if (Double.isNaN(right)) {
            return left;
        }
        return Double.isNaN(left) ? right : (left + right) / 2;
    }

    private static double eye(Mat frame, List<Point> points, int cornerA, int cornerB, int[] contour) {
        double width = Geometry.distance(points.get(cornerA), points.get(cornerB));
        if (width < 4) {
            return Double.NaN;
        }
        Point centre = Geometry.mean(points, contour);
        int reach = (int) Math.ceil(width * (0.5 + RING_OUTER));
        int x1 = Math.max(0, Math.round(centre.x()) - reach);
        int y1 = Math.max(0, Math.round(centre.y()) - reach);
        int x2 = Math.min(frame.cols(), Math.round(centre.x()) + reach + 1);
        int y2 = Math.min(frame.rows(), Math.round(centre.y()) + reach + 1);
        if (x2 - x1 < 4 || y2 - y1 < 4) {
            return Double.NaN;
        }
        Rect box = new Rect(x1, y1, x2 - x1, y2 - y1);
        int w = box.width();
        int h = box.height();
        try (Mat region = new Mat(frame, box); Mat lab = new Mat(); Mat inside = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
             Mat near = new Mat(); Mat far = new Mat()) {
            MeshShapes.fill(points, contour, x1, y1, inside);
            grow(inside, near, RING_INNER * width);
            grow(inside, far, RING_OUTER * width);
            opencv_imgproc.cvtColor(region, lab, opencv_imgproc.COLOR_BGR2Lab);
            byte[] pixels = new byte[w * h * 3];
            byte[] in = new byte[w * h];
            byte[] ringNear = new byte[w * h];
            byte[] ringFar = new byte[w * h];
            ((ByteBuffer) lab.createBuffer()).get(pixels);
            ((ByteBuffer) inside.createBuffer()).get(in);
            ((ByteBuffer) near.createBuffer()).get(ringNear);
            ((ByteBuffer) far.createBuffer()).get(ringFar);
            int[][] histograms = new int[3][256];
            int ring = 0;
            for (int i = 0; i < in.length; i++) {
                if (ringFar[i] != 0 && ringNear[i] == 0) {
                    for (int c = 0; c < 3; c++) {
                        histograms[c][pixels[3 * i + c] & 0xff]++;
                    }
                    ring++;
                }
            }
            if (ring < 8) {
                return Double.NaN;
            }
            int l = Histograms.median(histograms[0], ring);
            int a = Histograms.median(histograms[1], ring);
            int b = Histograms.median(histograms[2], ring);
            int total = 0;
            int open = 0;
            for (int i = 0; i < in.length; i++) {
                if (in[i] == 0) {
                    continue;
                }
                total++;
                double chroma = Math.hypot((pixels[3 * i + 1] & 0xff) - a, (pixels[3 * i + 2] & 0xff) - b);
                if (chroma > CHROMA_APART || Math.abs((pixels[3 * i] & 0xff) - l) > LIGHTNESS_APART) {
                    open++;
                }
            }
            return total == 0 ? Double.NaN : open / (double) total;
        }
    }

    private static void grow(Mat mask, Mat out, double by) {
        int size = Math.max(1, (int) Math.round(2 * by)) | 1;
        try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(size, size))) {
            opencv_imgproc.dilate(mask, out, kernel);
        }
    }
}
