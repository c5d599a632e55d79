package facefarm.worker.tracking;

import facefarm.worker.analysis.Box;
import facefarm.worker.analysis.DenseMesh;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The geometry of a track over time: a face between two detections (linear in every point), and a face's points
 * averaged with its neighbours' (Gaussian weights, symmetric, so steady motion is not delayed). Score, landmark score
 * and embedding are never averaged: they stay those of the frame itself.
 */
public final class TrackSmoothing {
    private TrackSmoothing() {
    }

    /**
     * Weights of offsets -r..r for a window of radius {@code radius} cut to {@code r} (near a track's ends); sigma is half
     * the full radius, so a cut window keeps the shape of the full one.
     */
    static double[] weights(int radius, int r) {
        double sigma = Math.max(radius, 1) / 2.0;
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int k = -r; k <= r; k++) {
            w[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
            sum += w[k + r];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The face a fraction of the way from {@code a} to {@code b}; identity and scores from the nearer of the two. */
    public static Face interpolate(Face a, Face b, double fraction) {
        double[] w = {1 - fraction, fraction};
        List<Face> pair = List.of(a, b);
        Face nearer = fraction <= 0.5 ? a : b;
        return new Face(box(pair, w), Math.min(a.score(), b.score()), points(pair, w, Face::landmark5), points(pair, w, Face::landmark68),
                Math.min(a.landmarkScore(), b.landmarkScore()), points(pair, w, Face::alignment), nearer.embedding(), nearer.embeddingNorm(),
                mesh(pair, w));
    }

    /** The meshes' points and eye readings in the same proportions; null when either face lacks one. */
    private static DenseMesh mesh(List<Face> pair, double[] w) {
        List<Point> points = points(pair, w, TrackSmoothing::meshPoints);
        if (points == null) {
            return null;
        }
        return DenseMesh.of(points, w[0] * pair.get(0).mesh().eyeOpening() + w[1] * pair.get(1).mesh().eyeOpening(), light(pair, w));
    }

    /** The weighted mean of the meshes' light samples; null when a face lacks them. */
    private static float[] light(List<Face> faces, double[] w) {
        float[] first = faces.get(0).mesh() == null ? null : faces.get(0).mesh().light();
        if (first == null) {
            return null;
        }
        double[] sum = new double[first.length];
        for (int i = 0; i < faces.size(); i++) {
            float[] light = faces.get(i).mesh() == null ? null : faces.get(i).mesh().light();
            if (light == null || light.length != first.length) {
                return null;
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] += w[i] * light[k];
            }
        }
        float[] out = new float[sum.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) sum[k];
        }
        return out;
    }

    private static List<Point> meshPoints(Face face) {
        return face.mesh() == null ? null : face.mesh().points();
    }

    /**
     * The highest eye reading among {@code samples} (a track's faces in frame order, null where it has none): a
     * blink lasts a few frames, so a stretch of some 10 frames around one holds open eyes too.
     */
    public static double openEyes(Face[] samples, int from, int to) {
        double open = Double.NaN;
        for (int i = Math.max(0, from); i <= Math.min(samples.length - 1, to); i++) {
            Face face = samples[i];
            double reading = face == null || face.mesh() == null ? Double.NaN : face.mesh().eyeOpening();
            if (!Double.isNaN(reading) && (Double.isNaN(open) || reading > open)) {
                open = reading;
            }
        }
        return open;
    }

    /** {@code centre} with each point set averaged over {@code samples} (in frame order) with {@code weights}. */
    public static Face average(List<Face> samples, double[] weights, Face centre) {
        List<Point> landmark68 = points(samples, weights, Face::landmark68);
        List<Point> mesh = points(samples, weights, TrackSmoothing::meshPoints);
        return new Face(box(samples, weights), centre.score(), points(samples, weights, Face::landmark5),
                centre.landmark68() == null ? null : landmark68 == null ? centre.landmark68() : landmark68, centre.landmarkScore(),
                points(samples, weights, Face::alignment), centre.embedding(), centre.embeddingNorm(),
                centre.mesh() == null ? null : mesh == null ? centre.mesh() : smoothedMesh(centre.mesh(), mesh, light(samples, weights)));
    }

    private static DenseMesh smoothedMesh(DenseMesh centre, List<Point> points, float[] light) {
        return centre.withPoints(points).withLight(light == null ? centre.light() : light);
    }

    private static Box box(List<Face> faces, double[] w) {
        double x1 = 0;
        double y1 = 0;
        double x2 = 0;
        double y2 = 0;
        for (int i = 0; i < faces.size(); i++) {
            Box b = faces.get(i).box();
            x1 += w[i] * b.x1();
            y1 += w[i] * b.y1();
            x2 += w[i] * b.x2();
            y2 += w[i] * b.y2();
        }
        return new Box((float) x1, (float) y1, (float) x2, (float) y2);
    }

    /** The weighted mean of one point set; null when a face lacks it or the sets differ in size. */
    private static List<Point> points(List<Face> faces, double[] w, Function<Face, List<Point>> set) {
        List<Point> first = set.apply(faces.get(0));
        if (first == null) {
            return null;
        }
        int n = first.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < faces.size(); i++) {
            List<Point> points = set.apply(faces.get(i));
            if (points == null || points.size() != n) {
                return null;
            }
            for (int p = 0; p < n; p++) {
                x[p] += w[i] * points.get(p).x();
                y[p] += w[i] * points.get(p).y();
            }
        }
        List<Point> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            out.add(new Point((float) x[p], (float) y[p]));
        }
        return out;
    }
}
