package facefarm.worker.analysis;

import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** fan_68_5: 68 points estimated from the 5, in the unit ffhq_512 frame ((1,5,2) in, (1,68,2) out). */
public final class Fan68From5 implements AutoCloseable {
    public static final String MODEL_ID = "fan_68_5";

    private final OnnxModel session;

    public Fan68From5(Path file) {
        this.session = new OnnxModel(MODEL_ID, file);
    }

    /** The 5 points in the unit ffhq_512 frame, and the matrix that put them there. */
    public record Prepared(float[] points, double[] matrix) {
    }

    public static Prepared prepare(List<Point> landmark5) {
        double[] matrix = FaceWarp.matrix(landmark5, WarpTemplate.FFHQ_512, 1);
        float[] values = new float[10];
        for (int i = 0; i < 5; i++) {
            Point p = FaceWarp.apply(matrix, landmark5.get(i));
            values[2 * i] = p.x();
            values[2 * i + 1] = p.y();
        }
        return new Prepared(values, matrix);
    }

    public List<Point> run(List<Point> landmark5) {
        return runAll(List.of(landmark5)).get(0);
    }

    /** 68 points for each face's 5, batched when the model accepts a batch. */
    public List<List<Point>> runAll(List<List<Point>> faces) {
        List<Prepared> prepared = faces.stream().map(Fan68From5::prepare).toList();
        List<float[][]> outputs = session.runEach(prepared.stream().map(Prepared::points).toList(), OrtRuntime.batchSize(), 1, 5, 2);
        List<List<Point>> points = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            points.add(decode(outputs.get(i)[0], prepared.get(i).matrix()));
        }
        return points;
    }

    public static List<Point> decode(float[] values, double[] matrix) {
        double[] inverse = FaceWarp.invert(matrix);
        List<Point> points = new ArrayList<>(68);
        for (int i = 0; i < 68; i++) {
            points.add(FaceWarp.apply(inverse, new Point(values[2 * i], values[2 * i + 1])));
        }
        return points;
    }

    @Override
    public void close() {
        session.close();
    }
}
