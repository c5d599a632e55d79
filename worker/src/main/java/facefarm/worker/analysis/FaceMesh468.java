package facefarm.worker.analysis;

import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * MediaPipe FaceMesh: 468 points (x, y in the frame; z, relative depth, in crop pixels) for the open mesh swapper.
 * As MediaPipe's face_landmark graph: a square crop 1.5 times the box's longer side around its centre, turned so the
 * eyes are level, 192x192 RGB scaled to [0, 1]; the model returns 1404 values (468 x, y, z in crop pixels) and a
 * face-presence logit.
 */
public final class FaceMesh468 implements AutoCloseable {
    public static final String MODEL_ID = "face_landmark_468";
    public static final int SIZE = 192;
    public static final int POINTS = 468;
    /** MediaPipe's crop scale around the detection box. */
    static final double CROP_SCALE = 1.5;

    /** The model's input and the matrix that made the crop (frame to crop). */
    public record Prepared(float[] nchw, double[] matrix) {
    }

    /** Points in the frame, their depths, and the probability that the crop held a face. */
    public record Mesh(List<Point> points, float[] depth, float presence) {
    }

    private final OnnxModel session;

    public FaceMesh468(Path file) {
        this.session = new OnnxModel(MODEL_ID, file);
    }

    /** Box centre to crop centre, scaled so 1.5 x the longer side fills the crop, rotated so the eye line is level. */
    public static double[] cropMatrix(Box box, List<Point> landmark5) {
        double side = CROP_SCALE * Math.max(box.width(), box.height());
        double scale = SIZE / side;
        Point left = landmark5.get(0);
        Point right = landmark5.get(1);
        double theta = Math.atan2(right.y() - left.y(), right.x() - left.x());
        double cos = Math.cos(-theta) * scale;
        double sin = Math.sin(-theta) * scale;
        double cx = (box.x1() + box.x2()) / 2.0;
        double cy = (box.y1() + box.y2()) / 2.0;
        return new double[] {cos, -sin, SIZE / 2.0 - cos * cx + sin * cy, sin, cos, SIZE / 2.0 - sin * cx - cos * cy};
    }

    public static Prepared prepare(Mat frame, Face face) {
        double[] matrix = cropMatrix(face.box(), face.landmark5());
        try (Mat crop = FaceWarp.crop(frame, matrix, SIZE)) {
            return new Prepared(FaceWarp.planes(crop, true, v -> v / 255f), matrix);
        }
    }

    /** Meshes of several faces (face i is in frames i), batched when the model accepts a batch. */
    public List<Mesh> run(List<Mat> frames, List<Face> faces) {
        List<Prepared> prepared = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            prepared.add(prepare(frames.get(i), faces.get(i)));
        }
        List<float[][]> outputs = session.runEach(prepared.stream().map(Prepared::nchw).toList(), OrtRuntime.batchSize(), 1, 3, SIZE, SIZE);
        List<Mesh> meshes = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            meshes.add(decode(outputs.get(i), prepared.get(i).matrix()));
        }
        return meshes;
    }

    public Mesh run(Mat frame, Face face) {
        return run(List.of(frame), List.of(face)).get(0);
    }

    /** The output holding 1404 values is the mesh; the one-value output is the presence logit. */
    public static Mesh decode(float[][] outputs, double[] matrix) {
        float[] values = null;
        float logit = Float.NaN;
        for (float[] output : outputs) {
            if (output.length == POINTS * 3) {
                values = output;
            } else if (output.length == 1) {
                logit = output[0];
            }
        }
        if (values == null) {
            throw new IllegalStateException("the face mesh model returned no output of " + POINTS * 3 + " values");
        }
        double[] inverse = FaceWarp.invert(matrix);
        List<Point> points = new ArrayList<>(POINTS);
        float[] depth = new float[POINTS];
        for (int i = 0; i < POINTS; i++) {
            points.add(FaceWarp.apply(inverse, new Point(values[3 * i], values[3 * i + 1])));
            depth[i] = values[3 * i + 2];
        }
        float presence = Float.isNaN(logit) ? Float.NaN : (float) (1 / (1 + Math.exp(-logit)));
        return new Mesh(points, depth, presence);
    }

    @Override
    public void close() {
        session.close();
    }
}
