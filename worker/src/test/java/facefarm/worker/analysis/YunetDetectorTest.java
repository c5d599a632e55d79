package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.FrameReader;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real YuNet weights on real footage. */
class YunetDetectorTest {
    private static YunetDetector detector;

    @BeforeAll
    static void load() {
        detector = new YunetDetector(SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 0.5f);
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void findsExactlyOneFaceInEveryFrameOfATalkingHead() {
        Path video = SharedFiles.media("face_2.mp4");
        int frames = 0;
        try (FrameReader reader = new FrameReader(video, new FrameRange(0, 125), Keyframe.FIRST)) {
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                List<Face> faces = detector.detect(frame.image());
                frame.image().close();
                assertEquals(1, faces.size(), "frame " + frame.index());
                Face face = faces.get(0);
                assertTrue(face.score() >= 0.5f);
                assertTrue(face.box().contains(face.landmark5().get(0)) && face.box().contains(face.landmark5().get(1)), "eyes inside the box");
                assertTrue(face.landmark5().get(0).x() < face.landmark5().get(1).x(), "left eye (image left) comes first");
                frames++;
            }
        }
        assertEquals(125, frames);
    }

    @Test
    void findsTheMainFaceInACrowdAndNoneInAFacelessImage() {
        try (Mat crowd = opencv_imgcodecs.imread(SharedFiles.media("messi5.jpg").toString())) {
            List<Face> faces = detector.detect(crowd);
            assertTrue(faces.size() >= 1);
            assertTrue(faces.get(0).box().contains(new Point(240, 110)), "the player's face near (240, 110): " + faces.get(0));
        }
        try (Mat blank = new Mat(480, 640, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(90, 120, 150, 0))) {
            assertEquals(0, detector.detect(blank).size());
        }
    }
}
