package facefarm.worker.analysis;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Detection as FaceFusion runs it: optionally pad the frame by the margin, detect at every requested angle (the
 * frame rotated, points mapped back), then NMS over all candidates with an IoU threshold that shrinks as angles (or
 * detectors) are added: 0.4, 0.3, 0.2, 0.1.
 */
public final class FaceDetection implements AutoCloseable {
    /**
     * @param margin top, right, bottom, left in percent (0-100), each padding up to half the frame's height or width
     */
    public record Options(float score, int[] margin, List<Integer> angles) {
        public static final Options DEFAULT = new Options(0.5f, new int[4], List.of(0));

        public Options {
            if (score < 0 || score > 1) {
                throw new IllegalArgumentException("face detector score must be between 0 and 1, got " + score);
            }
            margin = margin == null ? new int[4] : margin.clone();
            if (margin.length != 4) {
                throw new IllegalArgumentException("face detector margin takes 4 values (top right bottom left)");
            }
            for (int m : margin) {
                if (m < 0 || m > 100) {
                    throw new IllegalArgumentException("face detector margin values are percentages 0-100, got " + m);
                }
            }
            angles = List.copyOf(angles == null || angles.isEmpty() ? List.of(0) : angles);
            for (int angle : angles) {
                if (angle != 0 && angle != 90 && angle != 180 && angle != 270) {
                    throw new IllegalArgumentException("face detector angles are 0, 90, 180 or 270, got " + angle);
                }
            }
        }
    }

    private final List<FaceDetector> detectors;
    private final Options options;

    public FaceDetection(List<FaceDetector> detectors, Options options) {
        this.detectors = List.copyOf(detectors);
        this.options = options;
    }

    public List<Face> detect(Mat frame) {
        int[] m = options.margin();
        int top = Math.round(frame.rows() * m[0] / 200f);
        int right = Math.round(frame.cols() * m[1] / 200f);
        int bottom = Math.round(frame.rows() * m[2] / 200f);
        int left = Math.round(frame.cols() * m[3] / 200f);
        boolean padded = top + right + bottom + left > 0;
        Mat source = frame;
        if (padded) {
            source = new Mat();
            opencv_core.copyMakeBorder(frame, source, top, bottom, left, right, opencv_core.BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
        }
        try {
            List<Face> candidates = new ArrayList<>();
            for (int angle : options.angles()) {
                candidates.addAll(detectRotated(source, angle));
            }
            List<Face> kept = NonMaxSuppression.apply(candidates, iouThreshold());
            return padded ? kept.stream().map(f -> f.mapped(p -> new Point(p.x() - left, p.y() - top))).toList() : kept;
        } finally {
            if (padded) {
                source.close();
            }
        }
    }

    /** FaceFusion: 0.4 for one pass, lower as angles are added; 0.1 when several detectors are merged ("many"). */
    float iouThreshold() {
        if (detectors.size() > 1) {
            return 0.1f;
        }
        return switch (options.angles().size()) {
            case 1 -> 0.4f;
            case 2 -> 0.3f;
            case 3 -> 0.2f;
            default -> 0.1f;
        };
    }

    private List<Face> detectRotated(Mat frame, int angle) {
        List<Face> faces = new ArrayList<>();
        if (angle == 0) {
            for (FaceDetector detector : detectors) {
                faces.addAll(detector.candidates(frame, options.score()));
            }
            return faces;
        }
        int w = frame.cols();
        int h = frame.rows();
        try (Mat rotated = new Mat()) {
            // angles turn counter-clockwise, as cv2.getRotationMatrix2D's positive angles do in FaceFusion
            int code = angle == 90 ? opencv_core.ROTATE_90_COUNTERCLOCKWISE : angle == 180 ? opencv_core.ROTATE_180 : opencv_core.ROTATE_90_CLOCKWISE;
            opencv_core.rotate(frame, rotated, code);
            for (FaceDetector detector : detectors) {
                for (Face face : detector.candidates(rotated, options.score())) {
                    faces.add(face.mapped(p -> unrotate(p, angle, w, h)));
                }
            }
        }
        return faces;
    }

    /** Maps a point of the frame turned counter-clockwise by {@code angle} back to the original frame of size w x h. */
    static Point unrotate(Point p, int angle, int w, int h) {
        return switch (angle) {
            case 90 -> new Point(w - p.y(), p.x());
            case 180 -> new Point(w - p.x(), h - p.y());
            case 270 -> new Point(p.y(), h - p.x());
            default -> p;
        };
    }

    public List<String> modelIds() {
        return detectors.stream().flatMap(d -> d.modelIds().stream()).toList();
    }

    @Override
    public void close() {
        detectors.forEach(FaceDetector::close);
    }
}
