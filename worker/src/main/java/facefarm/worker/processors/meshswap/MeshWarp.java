package facefarm.worker.processors.meshswap;

import facefarm.worker.analysis.Geometry;
import facefarm.worker.analysis.MeshRegions;
import facefarm.worker.analysis.Point;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_imgproc.Subdiv2D;
import org.bytedeco.opencv.opencv_imgproc.Vec6fVector;

/**
 * The source face's mesh, triangulated once (Delaunay), and its piecewise-affine warp onto a target mesh: every target
 * pixel looks its triangle's source point up, so the source's texture follows the target's pose and expression.
 */
public final class MeshWarp implements AutoCloseable {
    private static final boolean[] INNER_LIPS = new boolean[468];

    static {
        Arrays.stream(MeshRegions.LIPS_INNER).forEach(i -> INNER_LIPS[i] = true);
    }

    private final Mat source;
    private final List<Point> sourcePoints;
    private final Mat sourceFace;
    private final int[][] triangles;

    public MeshWarp(Mat source, List<Point> sourcePoints) {
        this.source = source;
        this.sourcePoints = List.copyOf(sourcePoints);
        this.sourceFace = SourceFaceMask.of(source, sourcePoints);
        this.triangles = counterClockwise(triangulate(sourcePoints), sourcePoints);
    }

    /**
     * The source warped into {@code box} of a frame whose face has the mesh {@code target} ({@code warped}, BGR), and
     * which of the box's pixels a triangle covers with the source's face ({@code coverage}, 255 or 0).
     */
    public void warp(List<Point> target, Rect box, Mat warped, Mat coverage) {
        place(target, box).warp(warped, coverage);
    }

    /** The target mesh's triangles laid over {@code box}: which covers each pixel, found once for all that uses it. */
    public Placement place(List<Point> target, Rect box) {
        double[][] inverse = new double[triangles.length][];
        for (int t = 0; t < triangles.length; t++) {
            int[] tri = triangles[t];
            // a triangle that turned over (the far side of a turned head) would lay the source's silhouette, hair and
            // background, over the face in front of it: it is left out, as a degenerate one is
            inverse[t] = orientation(target, tri) <= 0 ? null
                    : affine(target.get(tri[0]), target.get(tri[1]), target.get(tri[2]), sourcePoints.get(tri[0]), sourcePoints.get(tri[1]),
                            sourcePoints.get(tri[2]));
        }
        return new Placement(target, box, inverse, triangleIds(target, box, inverse));
    }

    /** A target mesh laid over a box of its frame. */
    public final class Placement {
        private final List<Point> target;
        private final Rect box;
        private final double[][] inverse;
        private final int[] id;

        private Placement(List<Point> target, Rect box, double[][] inverse, int[] id) {
            this.target = target;
            this.box = box;
            this.inverse = inverse;
            this.id = id;
        }

        /** The source warped onto the box ({@code warped}, BGR) and which pixels it covers with its face ({@code coverage}). */
        public void warp(Mat warped, Mat coverage) {
            int width = box.width();
            int height = box.height();
            int pixels = width * height;
            float[] mapX = new float[pixels];
            float[] mapY = new float[pixels];
            byte[] inside = new byte[pixels];
            for (int i = 0; i < pixels; i++) {
                double[] m = id[i] == 0 ? null : inverse[id[i] - 1];
                if (m == null) {
                    mapX[i] = -1;
                    mapY[i] = -1;
                    continue;
                }
                double fx = i % width + box.x();
                double fy = i / width + box.y();
                mapX[i] = (float) (m[0] * fx + m[1] * fy + m[2]);
                mapY[i] = (float) (m[3] * fx + m[4] * fy + m[5]);
                inside[i] = (byte) 255;
            }
            try (Mat mx = new Mat(height, width, opencv_core.CV_32FC1); Mat my = new Mat(height, width, opencv_core.CV_32FC1);
                 Mat face = new Mat(); Mat triangle = new Mat(height, width, opencv_core.CV_8UC1)) {
                ((FloatBuffer) mx.createBuffer()).put(mapX);
                ((FloatBuffer) my.createBuffer()).put(mapY);
                opencv_imgproc.remap(source, warped, mx, my, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar());
                opencv_imgproc.remap(sourceFace, face, mx, my, opencv_imgproc.INTER_NEAREST, opencv_core.BORDER_CONSTANT, new Scalar(0));
                ((ByteBuffer) triangle.createBuffer()).put(inside);
                opencv_core.bitwise_and(triangle, face, coverage);
            }
        }

        /**
         * Values given at the mesh's points ({@code channels} per point), interpolated linearly over the triangles at
         * each pixel of the box; NaN where no triangle covers the pixel.
         */
        public float[] interpolate(float[] values, int channels) {
            double[][] barycentric = new double[triangles.length][];
            int width = box.width();
            float[] out = new float[id.length * channels];
            for (int i = 0; i < id.length; i++) {
                if (id[i] == 0) {
                    Arrays.fill(out, i * channels, (i + 1) * channels, Float.NaN);
                    continue;
                }
                int t = id[i] - 1;
                int[] tri = triangles[t];
                if (barycentric[t] == null) {
                    // the map from a pixel to its first two barycentric weights: the affine map onto (1,0), (0,1), (0,0)
                    barycentric[t] = affine(target.get(tri[0]), target.get(tri[1]), target.get(tri[2]), new Point(1, 0), new Point(0, 1), new Point(0, 0));
                }
                double[] m = barycentric[t];
                double fx = i % width + box.x();
                double fy = i / width + box.y();
                double a = Math.min(1, Math.max(0, m[0] * fx + m[1] * fy + m[2]));
                double b = Math.min(1 - a, Math.max(0, m[3] * fx + m[4] * fy + m[5]));
                double c = 1 - a - b;
                for (int ch = 0; ch < channels; ch++) {
                    double value = a * values[tri[0] * channels + ch] + b * values[tri[1] * channels + ch] + c * values[tri[2] * channels + ch];
                    out[i * channels + ch] = (float) value;
                }
            }
            return out;
        }
    }

    /**
     * Which triangle (1-based; 0 for none) covers each pixel of {@code box} on the target mesh, leaving out those whose
     * map is null (degenerate, or turned over).
     */
    private int[] triangleIds(List<Point> target, Rect box, double[][] maps) {
        int[] id = new int[box.width() * box.height()];
        // one polygon and one colour, refilled for each triangle: a native allocation per triangle cost more than the fill
        try (Mat ids = new Mat(box.height(), box.width(), opencv_core.CV_32SC1, new Scalar(0)); Mat polygon = new Mat(3, 1, opencv_core.CV_32SC2);
             Scalar colour = new Scalar(0)) {
            IntBuffer buffer = polygon.createBuffer();
            for (int t = 0; t < triangles.length; t++) {
                if (maps[t] == null) {
                    continue;
                }
                buffer.clear();
                for (int v : triangles[t]) {
                    buffer.put(Math.round(target.get(v).x() - box.x())).put(Math.round(target.get(v).y() - box.y()));
                }
                colour.put(0, t + 1);
                opencv_imgproc.fillConvexPoly(ids, polygon, colour, opencv_imgproc.LINE_8, 0);
            }
            ((IntBuffer) ids.createBuffer()).get(id);
        }
        return id;
    }

    /**
     * The triangles with their corners in the order that gives each a positive {@link #orientation} on
     * {@code points}, so a target triangle that turned over is one whose orientation is not; those without an area
     * on the source are dropped, as they map nothing.
     */
    private static int[][] counterClockwise(int[][] triangles, List<Point> points) {
        List<int[]> out = new ArrayList<>(triangles.length);
        for (int[] tri : triangles) {
            double sign = orientation(points, tri);
            if (sign != 0) {
                out.add(sign > 0 ? tri : new int[] {tri[0], tri[2], tri[1]});
            }
        }
        return out.toArray(int[][]::new);
    }

    /** The sign of the triangle's area: which way round its corners run. */
    static double orientation(List<Point> points, int[] tri) {
        Point a = points.get(tri[0]);
        Point b = points.get(tri[1]);
        Point c = points.get(tri[2]);
        return Math.signum((b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x()));
    }

    /**
     * The affine map taking triangle (a, b, c) onto (p, q, r), as [m0 m1 m2; m3 m4 m5]; null when abc is degenerate.
     */
    public static double[] affine(Point a, Point b, Point c, Point p, Point q, Point r) {
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

    /** Delaunay triangles of the points, as index triples, leaving out those inside the mouth's opening. */
    public static int[][] triangulate(List<Point> points) {
        float[] e = Geometry.extent(points);
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
                if (INNER_LIPS[a] && INNER_LIPS[b] && INNER_LIPS[c]) {
                    continue;
                }
                out.add(new int[] {a, b, c});
            }
        }
        return out.toArray(int[][]::new);
    }

    @Override
    public void close() {
        sourceFace.close();
    }

    private static long key(float x, float y) {
        return ((long) Float.floatToIntBits(x) << 32) | (Float.floatToIntBits(y) & 0xffffffffL);
    }
}
