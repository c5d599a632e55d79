package facefarm.worker.analysis;

import java.util.List;

/** Small plane geometry over mesh points. */
public final class Geometry {
    private Geometry() {
    }

    public static Point mean(List<Point> points, int... indices) {
        float x = 0;
        float y = 0;
        for (int i : indices) {
            x += points.get(i).x();
            y += points.get(i).y();
        }
        return new Point(x / indices.length, y / indices.length);
    }

    public static double distance(Point a, Point b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    /** min x, min y, max x, max y of the points. */
    public static float[] extent(List<Point> points) {
        float[] e = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (Point p : points) {
            e[0] = Math.min(e[0], p.x());
            e[1] = Math.min(e[1], p.y());
            e[2] = Math.max(e[2], p.x());
            e[3] = Math.max(e[3], p.y());
        }
        return e;
    }
}
