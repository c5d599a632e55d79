package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.FrameReader;
import java.nio.ByteBuffer;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real MediaPipe FaceMesh model on real footage, cropped from YuNet's detection. */
class FaceMesh468Test {

    private static Point mean(List<Point> points, int a, int b) {
        return new Point((points.get(a).x() + points.get(b).x()) / 2, (points.get(a).y() + points.get(b).y()) / 2);
    }

    private static double distance(Point a, Point b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    @ParameterizedTest
    @ValueSource(strings = {"face_1.mp4", "face_2.mp4", "face_4.mp4"})
    void theMeshLandsOnTheFaceTheDetectorFound(String clip) {
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                     SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FaceMesh468 mesh = new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx"));
             FrameReader reader = new FrameReader(SharedFiles.media(clip), new FrameRange(0, 1), Keyframe.FIRST);
             Mat frame = reader.next().image()) {
            Face face = detection.detect(frame).get(0);
            FaceMesh468.Mesh result = mesh.run(frame, face);
            assertEquals(468, result.points().size());
            assertTrue(result.presence() > 0.9f, clip + ": face presence " + result.presence());
            double tolerance = 0.1 * face.box().width();
            // MediaPipe's eye corners 33/133 and 362/263 average near the detector's eye points
            assertTrue(distance(mean(result.points(), 33, 133), face.landmark5().get(0)) < tolerance, clip + ": first eye " + mean(result.points(), 33, 133)
                    + " vs " + face.landmark5().get(0));
            assertTrue(distance(mean(result.points(), 362, 263), face.landmark5().get(1)) < tolerance, clip + ": second eye");
            assertTrue(distance(result.points().get(1), face.landmark5().get(2)) < tolerance, clip + ": nose tip");
            Box box = face.box();
            double margin = 0.25 * box.width();
            long inside = result.points().stream().filter(p -> p.x() > box.x1() - margin && p.x() < box.x2() + margin
                    && p.y() > box.y1() - margin && p.y() < box.y2() + margin).count();
            assertEquals(468, inside, clip + ": every mesh point on or near the face box (the mesh reaches up the forehead)");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 30})
    void theCropCentreIsTheBoxCentreInRgbOver255(int tilt) {
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST);
             Mat frame = reader.next().image()) {
            Box box = new Box(300, 200, 500, 440);
            double t = Math.toRadians(tilt);
            List<Point> eyes = List.of(new Point(350, 300), new Point((float) (350 + 100 * Math.cos(t)), (float) (300 + 100 * Math.sin(t))),
                    new Point(400, 350), new Point(360, 400), new Point(440, 400));
            FaceMesh468.Prepared prepared = FaceMesh468.prepare(frame, Face.detected(box, 0.9f, eyes));
            // 1.5 x 240 px -> 192: one crop pixel is 1.875 frame pixels; the centre maps to the box centre whatever the tilt
            Point centre = FaceWarp.apply(FaceWarp.invert(prepared.matrix()), new Point(96, 96));
            assertEquals(400, centre.x(), 1e-3);
            assertEquals(320, centre.y(), 1e-3);
            Point right = FaceWarp.apply(FaceWarp.invert(prepared.matrix()), new Point(192, 96));
            assertEquals(Math.toDegrees(t), Math.toDegrees(Math.atan2(right.y() - 320, right.x() - 400)), 1e-3, "the crop's x axis follows the eyes");
            assertEquals(180, Math.hypot(right.x() - 400, right.y() - 320), 1e-3);
            if (tilt == 0) {
                byte[] bgr = new byte[frame.cols() * frame.rows() * 3];
                ((ByteBuffer) frame.createBuffer()).get(bgr);
                int plane = 192 * 192;
                // crop pixel (96, 96) samples frame pixel (400, 320) exactly (scale 1.875, centred)
                int source = (320 * frame.cols() + 400) * 3;
                assertEquals((bgr[source + 2] & 0xff) / 255f, prepared.nchw()[96 * 192 + 96], 1e-6, "red first");
                assertEquals((bgr[source] & 0xff) / 255f, prepared.nchw()[2 * plane + 96 * 192 + 96], 1e-6, "blue last");
            }
        }
    }
}
