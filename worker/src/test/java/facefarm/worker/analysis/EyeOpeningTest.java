package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.FrameReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The eyes' opening read from the pixels, on real blinks (frames PFLD-68, a landmarker this code does not use, reads
 * as closed): the mesh model itself keeps its lids open through them.
 */
class EyeOpeningTest {

    @ParameterizedTest
    @CsvSource({"face_1.mp4, 60, 82, 83", "face_4.mp4, 70, 86, 88"})
    void aBlinkReadsFarBelowTheOpenEyesAroundIt(String clip, int from, int blinkFrom, int blinkTo) {
        List<Double> open = new ArrayList<>();
        List<Double> closed = new ArrayList<>();
        try (FaceDetection detection = new FaceDetection(
                List.of(new OnnxFaceDetector(DetectorModel.YUNET, SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)),
                FaceDetection.Options.DEFAULT);
             FaceMesh468 mesh = new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx"));
             FrameReader reader = new FrameReader(SharedFiles.media(clip), new FrameRange(from, blinkTo + 1), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame next = reader.next(); next != null; next = reader.next()) {
                try (Mat frame = next.image()) {
                    List<Point> points = mesh.run(frame, detection.detect(frame).get(0)).points();
                    double reading = EyeOpening.of(frame, points);
                    (next.index() >= blinkFrom ? closed : next.index() < blinkFrom - 3 ? open : new ArrayList<Double>()).add(reading);
                }
            }
        }
        double openMedian = open.stream().sorted().toList().get(open.size() / 2);
        double closedMost = Collections.max(closed);
        assertTrue(openMedian > 0.6, clip + ": open eyes show sclera and iris between the lids: " + open);
        assertTrue(closedMost < 0.75 * openMedian, clip + ": blink frames " + closed + " against open " + openMedian);
    }
}
