package facefarm.worker.analysis;

import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The light on a face, as the local mean colour of its skin at each of its mesh's points: a Gaussian of
 * {@link #REACH} eye spans over the face's skin (its hull without eyes, lips and brows, whose colours are not the
 * light's). Read per frame in analysis, so tracking can smooth it along the face's track like the points, and a swap
 * that takes the scene's light from it does not flicker with noise or compression from frame to frame.
 */
public final class FaceLight {
    /** The neighbourhood of a mean, in eye-corner distances: wider than skin detail, narrower than the face. */
    public static final double REACH = 0.4;
    /** What is left out of the skin: eyes grown by this many eye widths, lips by this many mouth widths. */
    static final double EYE_MARGIN = 0.25;
    static final double MOUTH_MARGIN = 0.12;
    /** And brows by this many eye-corner distances. */
    static final double BROW_MARGIN = 0.04;
    private static final float MIN_WEIGHT = 1e-3f;

    private FaceLight() {
    }

    /**
     * The mean B, G, R of the skin around each point (3 values per point, in point order), or null when the face is
     * too small or outside the frame.
     */
    public static float[] sample(Mat frame, List<Point> points) {
        double eyeSpan = Geometry.distance(points.get(MeshRegions.EYE_CORNERS[0]), points.get(MeshRegions.EYE_CORNERS[3]));
        if (eyeSpan < 8) {
            return null;
        }
        double sigma = REACH * eyeSpan;
        float[] e = Geometry.extent(points);
        int margin = (int) Math.ceil(sigma);
        int x1 = Math.max(0, (int) Math.floor(e[0]) - margin);
        int y1 = Math.max(0, (int) Math.floor(e[1]) - margin);
        int x2 = Math.min(frame.cols(), (int) Math.ceil(e[2]) + margin + 1);
        int y2 = Math.min(frame.rows(), (int) Math.ceil(e[3]) + margin + 1);
        if (x2 - x1 < 8 || y2 - y1 < 8) {
            return null;
        }
        Rect box = new Rect(x1, y1, x2 - x1, y2 - y1);
        try (Mat region = new Mat(frame, box); Mat skin = skin(points, box, eyeSpan); Mat weight = new Mat(); Mat colour = new Mat()) {
            LowPass.masked(region, skin, sigma, colour, weight);
            int width = box.width();
            float[] w = new float[width * box.height()];
            float[] c = new float[w.length * 3];
            weight.getFloatBuffer().get(w);
            colour.getFloatBuffer().get(c);
            float[] out = new float[points.size() * 3];
            for (int p = 0; p < points.size(); p++) {
                int x = Math.min(width - 1, Math.max(0, Math.round(points.get(p).x()) - x1));
                int y = Math.min(box.height() - 1, Math.max(0, Math.round(points.get(p).y()) - y1));
                int i = y * width + x;
                float k = Math.max(MIN_WEIGHT, w[i]);
                for (int ch = 0; ch < 3; ch++) {
                    out[3 * p + ch] = c[3 * i + ch] / k;
                }
            }
            return out;
        }
    }

    /** 255 on the face's skin in {@code box}: the points' hull without the eyes, lips and brows, each grown by a margin. */
    static Mat skin(List<Point> points, Rect box, double eyeSpan) {
        Mat skin = new Mat(box.height(), box.width(), opencv_core.CV_8UC1, new Scalar(0));
        try (Mat holes = new Mat(box.height(), box.width(), opencv_core.CV_8UC1, new Scalar(0))) {
            MeshShapes.fillHull(points, box.x(), box.y(), skin);
            int[] corners = MeshRegions.EYE_CORNERS;
            double mouthWidth = Geometry.distance(points.get(MeshRegions.LIPS_OUTER[0]), points.get(MeshRegions.LIPS_OUTER[10]));
            int x0 = box.x();
            int y0 = box.y();
            MeshShapes.fillGrown(points, MeshRegions.RIGHT_EYE, x0, y0, holes, EYE_MARGIN * Geometry.distance(points.get(corners[0]), points.get(corners[1])));
            MeshShapes.fillGrown(points, MeshRegions.LEFT_EYE, x0, y0, holes, EYE_MARGIN * Geometry.distance(points.get(corners[2]), points.get(corners[3])));
            MeshShapes.fillGrown(points, MeshRegions.LIPS_OUTER, x0, y0, holes, MOUTH_MARGIN * mouthWidth);
            MeshShapes.fillGrown(points, MeshRegions.RIGHT_BROW, x0, y0, holes, BROW_MARGIN * eyeSpan);
            MeshShapes.fillGrown(points, MeshRegions.LEFT_BROW, x0, y0, holes, BROW_MARGIN * eyeSpan);
            opencv_core.subtract(skin, holes, skin);
        }
        return skin;
    }
}
