package facefarm.worker.analysis;

import java.nio.IntBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A mesh's regions drawn into 8-bit masks (255 inside), in the coordinates of a box whose top-left corner is
 * ({@code x0}, {@code y0}): what the eye reading, the light samples and the swap's masks all draw.
 */
public final class MeshShapes {
    private MeshShapes() {
    }

    /** The points named by {@code indices} (all of them when null), relative to the box, as a CV_32SC2 contour. */
    public static Mat contour(List<Point> points, int[] indices, int x0, int y0) {
        int n = indices == null ? points.size() : indices.length;
        Mat contour = new Mat(n, 1, opencv_core.CV_32SC2);
        IntBuffer buffer = contour.createBuffer();
        for (int k = 0; k < n; k++) {
            Point p = points.get(indices == null ? k : indices[k]);
            buffer.put(Math.round(p.x() - x0)).put(Math.round(p.y() - y0));
        }
        return contour;
    }

    /** Fills the region the contour {@code indices} bounds. */
    public static void fill(List<Point> points, int[] indices, int x0, int y0, Mat mask) {
        try (Mat contour = contour(points, indices, x0, y0); MatVector contours = new MatVector(contour)) {
            opencv_imgproc.fillPoly(mask, contours, new Scalar(255));
        }
    }

    /** Fills the region grown by {@code by} pixels: its outline drawn that thick is a dilation by a disc, and cheaper. */
    public static void fillGrown(List<Point> points, int[] indices, int x0, int y0, Mat mask, double by) {
        try (Mat contour = contour(points, indices, x0, y0); MatVector contours = new MatVector(contour)) {
            opencv_imgproc.fillPoly(mask, contours, new Scalar(255));
            int thickness = Math.max(1, (int) Math.round(2 * by));
            opencv_imgproc.polylines(mask, contours, true, new Scalar(255), thickness, opencv_imgproc.LINE_8, 0);
        }
    }

    /** Fills the convex hull of all the points. */
    public static void fillHull(List<Point> points, int x0, int y0, Mat mask) {
        try (Mat all = contour(points, null, x0, y0); Mat hull = new Mat()) {
            opencv_imgproc.convexHull(all, hull);
            try (MatVector contours = new MatVector(hull)) {
                opencv_imgproc.fillPoly(mask, contours, new Scalar(255));
            }
        }
    }
}
