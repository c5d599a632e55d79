package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.Point;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.Subdiv2D;
import org.bytedeco.opencv.opencv_imgproc.Vec6fVector;

/**
 * The open face swapper: no generative model, only MediaPipe FaceMesh (Apache-2.0). The source face's 468 points
 * are triangulated once (Delaunay); each target face gets its own mesh, and every source triangle is warped onto
 * the matching target triangle (one piecewise-affine remap), so the source's features follow the target's pose and
 * expression. The warped face takes the target's skin colour (Reinhard transfer in Lab inside the face) and is blended
 * into the frame inside the mesh hull, by Poisson cloning (seamless) or by a feathered alpha mask. Pixels outside the
 * face's hull are never touched.
 */
public final class MeshSwapper implements FrameProcessor {
    public static final String NAME = "mesh_swapper";

    /** How the warped face joins the frame. */
    public enum Blend {
        SEAMLESS, FEATHERED;

        public static Blend byName(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mesh swapper blend '" + name + "' (known: seamless, feathered)", e);
            }
        }

        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** MediaPipe's inner lip contour: triangles spanning it would paint the source's lips over an open mouth. */
    private static final Set<Integer> INNER_LIPS = Set.of(78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95);

    /** How far above the eyes the swap reaches, in eye-to-brow heights. */
    private static final double FOREHEAD_KEPT = 1.25;

    private final FaceMesh468 mesh;
    private final Mat source;
    private final List<Point> sourcePoints;
    private final int[][] triangles;
    private final Blend blend;

    /**
     * @param mesh        the target faces' landmarker; closed with this processor
     * @param source      the source image (BGR), kept by the processor
     * @param sourcePoints the source face's 468 mesh points in that image
     */
    public MeshSwapper(FaceMesh468 mesh, Mat source, List<Point> sourcePoints, Blend blend) {
        this.mesh = mesh;
        this.source = source;
        this.sourcePoints = List.copyOf(sourcePoints);
        this.triangles = triangulate(sourcePoints);
        this.blend = blend;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Swaps each face on its mesh: the one analysis found (smoothed over its track), else one run here. */
    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        List<Face> unmeshed = faces.stream().filter(face -> face.mesh() == null).toList();
        faces.stream().filter(face -> face.mesh() != null).forEach(face -> swap(frame, face.mesh()));
        if (unmeshed.isEmpty()) {
            return;
        }
        List<Mat> frames = new ArrayList<>(unmeshed.size());
        unmeshed.forEach(face -> frames.add(frame));
        for (FaceMesh468.Mesh target : mesh.run(frames, unmeshed)) {
            swap(frame, target.points());
        }
    }

    /** Replaces the face whose mesh is {@code targetPoints} in {@code frame} with the source face. */
    public void swap(Mat frame, List<Point> targetPoints) {
        Rect box = bounds(targetPoints, frame.cols(), frame.rows(), 4);
        if (box == null) {
            return;
        }
        try (Mat warped = new Mat(); Mat mask = new Mat(box.height(), box.width(), opencv_core.CV_8UC1, new Scalar(0));
             Mat region = new Mat(frame, box)) {
            warp(targetPoints, box, warped, mask);
            // keep clear of the region's border: cloning needs it, and feathering then fades out inside the hull
            try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(5, 5))) {
                opencv_imgproc.erode(mask, mask, kernel);
            }
            if (opencv_core.countNonZero(mask) < 16) {
                return;
            }
            transferColour(warped, region, mask);
            if (blend == Blend.SEAMLESS) {
                clone(warped, region, mask);
            } else {
                feather(warped, region, mask);
            }
        }
    }

    /** Piecewise-affine warp of the source into {@code box}: each target pixel looks up its triangle's source point. */
    private void warp(List<Point> target, Rect box, Mat warped, Mat mask) {
        int width = box.width();
        int height = box.height();
        double[][] inverse = new double[triangles.length][];
        try (Mat ids = new Mat(height, width, opencv_core.CV_32SC1, new Scalar(0))) {
            for (int t = 0; t < triangles.length; t++) {
                int[] tri = triangles[t];
                inverse[t] = affine(target.get(tri[0]), target.get(tri[1]), target.get(tri[2]),
                        sourcePoints.get(tri[0]), sourcePoints.get(tri[1]), sourcePoints.get(tri[2]));
                if (inverse[t] == null) {
                    continue;
                }
                try (Mat polygon = new Mat(3, 1, opencv_core.CV_32SC2)) {
                    IntBuffer buffer = polygon.createBuffer();
                    for (int v : tri) {
                        buffer.put(Math.round(target.get(v).x() - box.x())).put(Math.round(target.get(v).y() - box.y()));
                    }
                    opencv_imgproc.fillConvexPoly(ids, polygon, new Scalar(t + 1), opencv_imgproc.LINE_8, 0);
                }
            }
            int pixels = width * height;
            int[] id = new int[pixels];
            ((IntBuffer) ids.createBuffer()).get(id);
            // the forehead above the brows stays the target's: a source's fringe or hairline must not come along
            Point eyes = mean(target, 33, 133, 362, 263);
            Point mouth = mean(target, 13, 14);
            Point brows = mean(target, 105, 334);
            double upX = eyes.x() - mouth.x();
            double upY = eyes.y() - mouth.y();
            double length = Math.max(1e-6, Math.hypot(upX, upY));
            upX /= length;
            upY /= length;
            double limit = FOREHEAD_KEPT * ((brows.x() - eyes.x()) * upX + (brows.y() - eyes.y()) * upY);
            float[] mapX = new float[pixels];
            float[] mapY = new float[pixels];
            byte[] inside = new byte[pixels];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    double[] m = id[i] == 0 ? null : inverse[id[i] - 1];
                    double rise = (x + box.x() - eyes.x()) * upX + (y + box.y() - eyes.y()) * upY;
                    if (m == null || rise > limit) {
                        mapX[i] = -1;
                        mapY[i] = -1;
                        continue;
                    }
                    double fx = x + box.x();
                    double fy = y + box.y();
                    mapX[i] = (float) (m[0] * fx + m[1] * fy + m[2]);
                    mapY[i] = (float) (m[3] * fx + m[4] * fy + m[5]);
                    inside[i] = (byte) 255;
                }
            }
            try (Mat mx = new Mat(height, width, opencv_core.CV_32FC1); Mat my = new Mat(height, width, opencv_core.CV_32FC1)) {
                ((FloatBuffer) mx.createBuffer()).put(mapX);
                ((FloatBuffer) my.createBuffer()).put(mapY);
                opencv_imgproc.remap(source, warped, mx, my, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar());
            }
            ((ByteBuffer) mask.createBuffer()).put(inside);
        }
    }

    /**
     * The affine map taking triangle (a, b, c) onto (p, q, r), as [m0 m1 m2; m3 m4 m5]; null when abc is degenerate.
     */
    static double[] affine(Point a, Point b, Point c, Point p, Point q, Point r) {
        double det = a.x() * (b.y() - c.y()) - b.x() * (a.y() - c.y()) + c.x() * (a.y() - b.y());
        if (Math.abs(det) < 1e-6) {
            return null;
        }
        double[] out = new double[6];
        double[][] targets = {{p.x(), q.x(), r.x()}, {p.y(), q.y(), r.y()}};
        for (int row = 0; row < 2; row++) {
            double u1 = targets[row][0];
            double u2 = targets[row][1];
            double u3 = targets[row][2];
            out[3 * row] = (u1 * (b.y() - c.y()) - u2 * (a.y() - c.y()) + u3 * (a.y() - b.y())) / det;
            out[3 * row + 1] = (a.x() * (u2 - u3) - b.x() * (u1 - u3) + c.x() * (u1 - u2)) / det;
            out[3 * row + 2] = (a.x() * (b.y() * u3 - c.y() * u2) - b.x() * (a.y() * u3 - c.y() * u1) + c.x() * (a.y() * u2 - b.y() * u1)) / det;
        }
        return out;
    }

    /** Reinhard colour transfer in Lab: the warped face gets the mean and spread of the target face's colours. */
    static void transferColour(Mat warped, Mat target, Mat mask) {
        try (Mat warpedLab = new Mat(); Mat targetLab = new Mat()) {
            opencv_imgproc.cvtColor(warped, warpedLab, opencv_imgproc.COLOR_BGR2Lab);
            opencv_imgproc.cvtColor(target, targetLab, opencv_imgproc.COLOR_BGR2Lab);
            int pixels = (int) mask.total();
            byte[] m = new byte[pixels];
            byte[] w = new byte[pixels * 3];
            byte[] t = new byte[pixels * 3];
            ((ByteBuffer) mask.createBuffer()).get(m);
            ((ByteBuffer) warpedLab.createBuffer()).get(w);
            ((ByteBuffer) targetLab.createBuffer()).get(t);
            double[] ws = stats(w, m);
            double[] ts = stats(t, m);
            for (int i = 0; i < pixels; i++) {
                if (m[i] == 0) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    double v = ((w[3 * i + c] & 0xff) - ws[c]) * (ts[3 + c] / Math.max(ws[3 + c], 1e-3)) + ts[c];
                    w[3 * i + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            ((ByteBuffer) warpedLab.createBuffer()).put(w);
            opencv_imgproc.cvtColor(warpedLab, warped, opencv_imgproc.COLOR_Lab2BGR);
        }
    }

    /** Per-channel mean (0-2) and standard deviation (3-5) of the masked pixels. */
    private static double[] stats(byte[] pixels, byte[] mask) {
        double[] sum = new double[3];
        double[] squares = new double[3];
        long n = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 0) {
                continue;
            }
            n++;
            for (int c = 0; c < 3; c++) {
                double v = pixels[3 * i + c] & 0xff;
                sum[c] += v;
                squares[c] += v * v;
            }
        }
        double[] out = new double[6];
        for (int c = 0; c < 3; c++) {
            out[c] = sum[c] / n;
            out[3 + c] = Math.sqrt(Math.max(0, squares[c] / n - out[c] * out[c]));
        }
        return out;
    }

    private static void clone(Mat warped, Mat region, Mat mask) {
        // seamlessClone re-borders the mask it is given in place, so it gets a copy
        try (Mat points = new Mat(); Mat result = new Mat(); Mat cloneMask = mask.clone()) {
            opencv_core.findNonZero(mask, points);
            Rect r = opencv_imgproc.boundingRect(points);
            // seamlessClone centres the mask's bounding box on this point; the same place it has in the region
            org.bytedeco.opencv.opencv_core.Point centre = new org.bytedeco.opencv.opencv_core.Point(r.x() + r.width() / 2, r.y() + r.height() / 2);
            opencv_photo.seamlessClone(warped, region, cloneMask, centre, result, opencv_photo.NORMAL_CLONE);
            // cloning rewrites its whole working box; only pixels inside the face may change
            result.copyTo(region, mask);
        }
    }

    private static void feather(Mat warped, Mat region, Mat mask) {
        int width = mask.cols();
        int height = mask.rows();
        try (Mat alpha = new Mat()) {
            mask.convertTo(alpha, opencv_core.CV_32F, 1 / 255.0, 0);
            // feather inwards only: blur, then keep zero wherever the hull was zero
            double sigma = Math.max(1, Math.sqrt(opencv_core.countNonZero(mask)) * 0.04);
            opencv_imgproc.erode(alpha, alpha, opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE,
                    new Size((int) (2 * sigma) | 1, (int) (2 * sigma) | 1)));
            opencv_imgproc.GaussianBlur(alpha, alpha, new Size(0, 0), sigma);
            int pixels = width * height;
            float[] a = new float[pixels];
            byte[] m = new byte[pixels];
            byte[] src = new byte[pixels * 3];
            byte[] dst = new byte[pixels * 3];
            ((FloatBuffer) alpha.createBuffer()).get(a);
            ((ByteBuffer) mask.createBuffer()).get(m);
            ((ByteBuffer) warped.createBuffer()).get(src);
            try (Mat copy = region.clone()) {
                ((ByteBuffer) copy.createBuffer()).get(dst);
                for (int i = 0; i < pixels; i++) {
                    float k = m[i] == 0 ? 0 : a[i];
                    for (int c = 0; c < 3 && k > 0; c++) {
                        int j = 3 * i + c;
                        dst[j] = (byte) Math.round((dst[j] & 0xff) * (1 - k) + (src[j] & 0xff) * k);
                    }
                }
                ((ByteBuffer) copy.createBuffer()).put(dst);
                copy.copyTo(region);
            }
        }
    }

    private static Point mean(List<Point> points, int... indices) {
        float x = 0;
        float y = 0;
        for (int i : indices) {
            x += points.get(i).x();
            y += points.get(i).y();
        }
        return new Point(x / indices.length, y / indices.length);
    }

    /** The points' bounding box grown by {@code margin}, clipped to the frame; null when nothing is left. */
    private static Rect bounds(List<Point> points, int width, int height, int margin) {
        float[] e = extent(points);
        int x1 = Math.max(0, (int) Math.floor(e[0]) - margin);
        int y1 = Math.max(0, (int) Math.floor(e[1]) - margin);
        int x2 = Math.min(width, (int) Math.ceil(e[2]) + margin + 1);
        int y2 = Math.min(height, (int) Math.ceil(e[3]) + margin + 1);
        return x2 - x1 < 8 || y2 - y1 < 8 ? null : new Rect(x1, y1, x2 - x1, y2 - y1);
    }

    /** min x, min y, max x, max y of the points. */
    private static float[] extent(List<Point> points) {
        float[] e = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (Point p : points) {
            e[0] = Math.min(e[0], p.x());
            e[1] = Math.min(e[1], p.y());
            e[2] = Math.max(e[2], p.x());
            e[3] = Math.max(e[3], p.y());
        }
        return e;
    }

    /** Delaunay triangles of the points, as index triples, leaving out those that close an open mouth. */
    static int[][] triangulate(List<Point> points) {
        float[] e = extent(points);
        Map<Long, Integer> index = new HashMap<>();
        List<int[]> out = new ArrayList<>();
        try (Subdiv2D subdiv = new Subdiv2D(new Rect((int) Math.floor(e[0]) - 2, (int) Math.floor(e[1]) - 2,
                (int) Math.ceil(e[2] - e[0]) + 5, (int) Math.ceil(e[3] - e[1]) + 5));
             Vec6fVector list = new Vec6fVector()) {
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                index.putIfAbsent(key(p.x(), p.y()), i);
                try (Point2f point = new Point2f(p.x(), p.y())) {
                    subdiv.insert(point);
                }
            }
            subdiv.getTriangleList(list);
            for (long t = 0; t < list.size(); t++) {
                var v = list.get(t);
                Integer a = index.get(key(v.get(0), v.get(1)));
                Integer b = index.get(key(v.get(2), v.get(3)));
                Integer c = index.get(key(v.get(4), v.get(5)));
                if (a == null || b == null || c == null) {
                    continue;
                }
                if (INNER_LIPS.contains(a) && INNER_LIPS.contains(b) && INNER_LIPS.contains(c)) {
                    continue;
                }
                out.add(new int[] {a, b, c});
            }
        }
        return out.toArray(int[][]::new);
    }

    private static long key(float x, float y) {
        return ((long) Float.floatToIntBits(x) << 32) | (Float.floatToIntBits(y) & 0xffffffffL);
    }

    @Override
    public void close() {
        mesh.close();
        source.close();
    }
}
