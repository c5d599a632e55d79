package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.Point;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * FaceFusion's face_debugger: draws what analysis found for each selected face, the same data `farm analyse` writes:
 * the box (red), the detector's 5 points (green), the 68 points where a landmarker ran (yellow), the detector score,
 * and the landmark score when there is one.
 */
public final class FaceDebugger implements FrameProcessor {
    public static final String NAME = "face_debugger";
    private static final Scalar BOX = new Scalar(0, 0, 255, 0);
    private static final Scalar POINTS = new Scalar(0, 255, 0, 0);
    private static final Scalar POINTS_68 = new Scalar(0, 255, 255, 0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        int thickness = Math.max(2, Math.round(Math.max(frame.cols(), frame.rows()) / 400f));
        for (Face face : faces) {
            var b = face.box();
            opencv_imgproc.rectangle(frame, new org.bytedeco.opencv.opencv_core.Point(Math.round(b.x1()), Math.round(b.y1())),
                    new org.bytedeco.opencv.opencv_core.Point(Math.round(b.x2()), Math.round(b.y2())), BOX, thickness, opencv_imgproc.LINE_AA, 0);
            for (Point p : face.landmark5()) {
                opencv_imgproc.circle(frame, new org.bytedeco.opencv.opencv_core.Point(Math.round(p.x()), Math.round(p.y())), thickness + 1,
                        POINTS, -1, opencv_imgproc.LINE_AA, 0);
            }
            if (face.landmark68() != null) {
                for (Point p : face.landmark68()) {
                    opencv_imgproc.circle(frame, new org.bytedeco.opencv.opencv_core.Point(Math.round(p.x()), Math.round(p.y())), Math.max(1, thickness / 2),
                            POINTS_68, -1, opencv_imgproc.LINE_AA, 0);
                }
            }
            String label = face.landmark68() != null && face.landmarkScore() > 0
                    ? String.format(Locale.ROOT, "%.2f / %.2f", face.score(), face.landmarkScore())
                    : String.format(Locale.ROOT, "%.2f", face.score());
            opencv_imgproc.putText(frame, label,
                    new org.bytedeco.opencv.opencv_core.Point(Math.round(b.x1()), Math.max(12, Math.round(b.y1()) - 6)),
                    opencv_imgproc.FONT_HERSHEY_SIMPLEX, 0.5 * thickness / 2.0, BOX, Math.max(1, thickness / 2), opencv_imgproc.LINE_AA, false);
        }
    }
}
