package facefarm.worker.analysis;

import java.util.List;

/** Landmark helpers shared by landmarkers and processors. */
public final class Landmarks {
    private Landmarks() {
    }

    /** FaceFusion's 68 -> 5: eye centres (36-41, 42-47), nose tip (30), mouth corners (48, 54). */
    public static List<Point> fiveFrom68(List<Point> p) {
        if (p.size() != 68) {
            throw new IllegalArgumentException("expected 68 landmarks, got " + p.size());
        }
        return List.of(mean(p, 36, 42), mean(p, 42, 48), p.get(30), p.get(48), p.get(54));
    }

    private static Point mean(List<Point> points, int from, int to) {
        float x = 0;
        float y = 0;
        for (int i = from; i < to; i++) {
            x += points.get(i).x();
            y += points.get(i).y();
        }
        return new Point(x / (to - from), y / (to - from));
    }

    /**
     * The face's rotation in the frame, snapped to 0/90/180/270 as FaceFusion does: the direction of the line from
     * the first to the second point (jaw ends 0 -> 16 of 68 points, or the eyes of 5 points).
     */
    public static int angle(Point from, Point to) {
        double theta = Math.toDegrees(Math.atan2(to.y() - from.y(), to.x() - from.x()));
        theta = ((theta % 360) + 360) % 360;
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            double distance = Math.abs(i * 90 - theta);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i;
            }
        }
        return (best % 4) * 90;
    }

    /** numpy.interp(value, [0, top], [0, 1]): linear, clipped at both ends. */
    static float interp(float value, float top) {
        return Math.max(0, Math.min(1, value / top));
    }
}
