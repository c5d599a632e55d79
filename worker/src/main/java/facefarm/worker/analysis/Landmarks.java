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

    /**
     * The FaceMesh points that sit where the 68-point (300-W / iBUG) scheme puts its points: jaw 0-16, brows 17-26,
     * nose 27-35, eyes 36-47, outer lips 48-59, inner lips 60-67. Lets the 68-point consumers (lip sync's lower-face
     * area, its mouth box) run on the open FaceMesh model when no 68-point landmarker is installed.
     */
    static final int[] MESH_TO_68 = {
            127, 234, 93, 132, 58, 136, 150, 176, 152, 400, 379, 365, 288, 361, 323, 454, 356,
            70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
            168, 197, 5, 4, 75, 97, 2, 326, 305,
            33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
            61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,
            78, 82, 13, 312, 308, 317, 14, 87};

    /** 68 points picked from the FaceMesh 468 ({@link #MESH_TO_68}). */
    public static List<Point> sixtyEightFromMesh(List<Point> mesh) {
        if (mesh.size() != 468) {
            throw new IllegalArgumentException("expected the 468 FaceMesh points, got " + mesh.size());
        }
        return java.util.Arrays.stream(MESH_TO_68).mapToObj(mesh::get).toList();
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
