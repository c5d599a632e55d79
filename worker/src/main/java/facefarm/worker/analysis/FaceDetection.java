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
        return detect(List.of(frame)).get(0);
    }

    /** Faces of several frames, each frame's list after NMS; models that accept a batch see the frames together. */
    public List<List<Face>> detect(List<Mat> frames) {
        int[] m = options.margin();
        List<Mat> sources = new ArrayList<>(frames.size());
        List<int[]> offsets = new ArrayList<>(frames.size());
        try {
            for (Mat frame : frames) {
                int top = Math.round(frame.rows() * m[0] / 200f);
                int right = Math.round(frame.cols() * m[1] / 200f);
                int bottom = Math.round(frame.rows() * m[2] / 200f);
                int left = Math.round(frame.cols() * m[3] / 200f);
                Mat source = frame;
                if (top + right + bottom + left > 0) {
                    source = new Mat();
                    opencv_core.copyMakeBorder(frame, source, top, bottom, left, right, opencv_core.BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
                }
                sources.add(source);
                offsets.add(new int[] {left, top});
            }
            List<List<Face>> candidates = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                candidates.add(new ArrayList<>());
            }
            for (int angle : options.angles()) {
                List<List<Face>> found = detectRotated(sources, angle);
                for (int i = 0; i < frames.size(); i++) {
                    candidates.get(i).addAll(found.get(i));
                }
            }
            List<List<Face>> faces = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                int left = offsets.get(i)[0];
                int top = offsets.get(i)[1];
                List<Face> kept = NonMaxSuppression.apply(candidates.get(i), iouThreshold());
                faces.add(sources.get(i) != frames.get(i)
                        ? kept.stream().map(f -> f.mapped(p -> new Point(p.x() - left, p.y() - top))).toList() : kept);
            }
            return faces;
        } finally {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i) != frames.get(i)) {
                    sources.get(i).close();
                }
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

    private List<List<Face>> detectRotated(List<Mat> frames, int angle) {
        List<List<Face>> faces = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            faces.add(new ArrayList<>());
        }
        List<Mat> turned = new ArrayList<>(frames.size());
        try {
            for (Mat frame : frames) {
                if (angle == 0) {
                    turned.add(frame);
                } else {
                    // angles turn counter-clockwise, as cv2.getRotationMatrix2D's positive angles do in FaceFusion
                    int code = angle == 90 ? opencv_core.ROTATE_90_COUNTERCLOCKWISE : angle == 180 ? opencv_core.ROTATE_180 : opencv_core.ROTATE_90_CLOCKWISE;
                    Mat rotated = new Mat();
                    opencv_core.rotate(frame, rotated, code);
                    turned.add(rotated);
                }
            }
            for (FaceDetector detector : detectors) {
                List<List<Face>> found = detector.candidates(turned, options.score());
                for (int i = 0; i < frames.size(); i++) {
                    int w = frames.get(i).cols();
                    int h = frames.get(i).rows();
                    for (Face face : found.get(i)) {
                        faces.get(i).add(angle == 0 ? face : face.mapped(p -> unrotate(p, angle, w, h)));
                    }
                }
            }
        } finally {
            if (angle != 0) {
                turned.forEach(Mat::close);
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
