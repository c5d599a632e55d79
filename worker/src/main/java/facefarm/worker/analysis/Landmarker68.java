package facefarm.worker.analysis;

import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.CLAHE;

/**
 * 68-point landmarkers with FaceFusion's contract: a 256 crop scaled so the box's longer side is 195 px and centred,
 * turned upright by the face angle, contrast-lifted (CLAHE) when dark, BGR /255; points come back in 64-px space.
 * 2dfan4 also returns heat-maps (score = mean peak, mapped [0, 0.9] to [0, 1]); peppa_wutz returns (x, y, score)
 * rows (score = mean, mapped [0, 0.95] to [0, 1]).
 */
public final class Landmarker68 implements AutoCloseable {
    public static final int SIZE = 256;

    public enum Model {
        TWO_DFAN4("2dfan4", "2dfan4", 0.9f),
        PEPPA_WUTZ("peppa_wutz", "peppa_wutz", 0.95f);

        final String optionName;
        final String modelId;
        final float scoreTop;

        Model(String optionName, String modelId, float scoreTop) {
            this.optionName = optionName;
            this.modelId = modelId;
            this.scoreTop = scoreTop;
        }

        public String optionName() {
            return optionName;
        }

        public String modelId() {
            return modelId;
        }
    }

    /** What the model receives, and the matrix that made the crop (frame to crop). */
    public record Prepared(float[] nchw, double[] matrix) {
    }

    public record Result(List<Point> points, float score) {
    }

    private final Model model;
    private final OnnxModel session;

    public Landmarker68(Model model, Path file) {
        this.model = model;
        this.session = new OnnxModel(model.optionName, file);
    }

    public Model model() {
        return model;
    }

    /** One face to landmark: the frame it is in, its detector box, and the angle that turns it upright. */
    public record Request(Mat frame, Box box, int angle) {
    }

    public Result run(Mat frame, Box box, int angle) {
        return run(List.of(new Request(frame, box, angle))).get(0);
    }

    /** Landmarks of several faces; their crops go through in batches when the model accepts a batch. */
    public List<Result> run(List<Request> requests) {
        List<Prepared> prepared = requests.stream().map(r -> prepare(r.frame(), r.box(), r.angle())).toList();
        List<float[][]> outputs = session.runEach(prepared.stream().map(Prepared::nchw).toList(), OrtRuntime.batchSize(), 1, 3, SIZE, SIZE);
        List<Result> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            float[][] out = outputs.get(i);
            results.add(decode(model, out[0], model == Model.TWO_DFAN4 ? out[1] : null, prepared.get(i).matrix()));
        }
        return results;
    }

    /** The crop matrix: scale 195 / longer box side, box centre to crop centre, then the rotation about the centre. */
    public static double[] cropMatrix(Box box, int angle) {
        double scale = 195.0 / Math.max(box.width(), box.height());
        double tx = (SIZE - (box.x1() + box.x2()) * scale) * 0.5;
        double ty = (SIZE - (box.y1() + box.y2()) * scale) * 0.5;
        double[] translate = {scale, 0, tx, 0, scale, ty};
        if (angle == 0) {
            return translate;
        }
        double radians = Math.toRadians(angle);
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double c = SIZE / 2.0;
        // cv2.getRotationMatrix2D(centre, angle, 1): [[cos, sin, (1-cos)c - sin c], [-sin, cos, sin c + (1-cos)c]]
        double[] rotate = {cos, sin, (1 - cos) * c - sin * c, -sin, cos, sin * c + (1 - cos) * c};
        return compose(rotate, translate);
    }

    /** a after b. */
    static double[] compose(double[] a, double[] b) {
        return new double[] {
            a[0] * b[0] + a[1] * b[3], a[0] * b[1] + a[1] * b[4], a[0] * b[2] + a[1] * b[5] + a[2],
            a[3] * b[0] + a[4] * b[3], a[3] * b[1] + a[4] * b[4], a[3] * b[2] + a[4] * b[5] + a[5]};
    }

    public static Prepared prepare(Mat frame, Box box, int angle) {
        double[] matrix = cropMatrix(box, angle);
        try (Mat m = FaceWarp.matrixMat(matrix); Mat crop = new Mat()) {
            opencv_imgproc.warpAffine(frame, crop, m, new Size(SIZE, SIZE), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT, new Scalar());
            liftContrastIfDark(crop);
            return new Prepared(FaceWarp.planes(crop, false, v -> v / 255f), matrix);
        }
    }

    /** CLAHE (clip limit 2) on the L channel of a crop whose mean lightness is below 30. */
    static void liftContrastIfDark(Mat crop) {
        try (Mat lab = new Mat(); MatVector channels = new MatVector()) {
            opencv_imgproc.cvtColor(crop, lab, opencv_imgproc.COLOR_BGR2Lab);
            opencv_core.split(lab, channels);
            if (opencv_core.mean(channels.get(0)).get(0) >= 30) {
                return;
            }
            try (CLAHE clahe = opencv_imgproc.createCLAHE(2, new Size(8, 8))) {
                Mat l = channels.get(0);
                clahe.apply(l, l);
            }
            opencv_core.merge(channels, lab);
            opencv_imgproc.cvtColor(lab, crop, opencv_imgproc.COLOR_Lab2BGR);
        }
    }

    /** Points from the model's 64-px space back to the frame, and the confidence. */
    public static Result decode(Model model, float[] points, float[] heatmaps, double[] matrix) {
        double[] inverse = FaceWarp.invert(matrix);
        int stride = points.length / 68;
        List<Point> out = new ArrayList<>(68);
        float scoreSum = 0;
        for (int i = 0; i < 68; i++) {
            Point crop = new Point(points[i * stride] / 64f * SIZE, points[i * stride + 1] / 64f * SIZE);
            out.add(FaceWarp.apply(inverse, crop));
            if (model == Model.PEPPA_WUTZ) {
                scoreSum += points[i * stride + 2];
            }
        }
        float score;
        if (model == Model.TWO_DFAN4) {
            int cells = heatmaps.length / 68;
            for (int i = 0; i < 68; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cells; j++) {
                    max = Math.max(max, heatmaps[i * cells + j]);
                }
                scoreSum += max;
            }
        }
        score = Landmarks.interp(scoreSum / 68f, model.scoreTop);
        return new Result(out, score);
    }

    @Override
    public void close() {
        session.close();
    }
}
