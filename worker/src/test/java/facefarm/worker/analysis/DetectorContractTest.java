package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.media.FrameReader;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detectors whose weights cannot be had here, run as ONNX graphs with the real models' input/output names and shapes
 * whose outputs the test plants: the planted detection must decode to the planted box and points after NMS.
 */
class DetectorContractTest {
    @TempDir
    Path dir;

    /** RetinaFace/SCRFD at 640: 9 outputs, scores (N,1), boxes (N,4), points (N,10), N = 2 * (640/stride)^2. */
    private Path anchorModel(int stride, int anchor, float score, float[] distances, float[] offsets) {
        OnnxGraph graph = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 640, 640);
        String[] kinds = {"score", "bbox", "kps"};
        int[] widths = {1, 4, 10};
        for (int k = 0; k < 3; k++) {
            for (int s : AnchorDecoder.STRIDES) {
                int n = 2 * (640 / s) * (640 / s);
                float[] values = new float[n * widths[k]];
                if (s == stride) {
                    if (k == 0) {
                        values[anchor] = score;
                        values[anchor + 1] = score * 0.9f;
                    } else {
                        float[] planted = k == 1 ? distances : offsets;
                        System.arraycopy(planted, 0, values, anchor * widths[k], widths[k]);
                        System.arraycopy(planted, 0, values, (anchor + 1) * widths[k], widths[k]);
                    }
                }
                graph.output(kinds[k] + "_" + s, OnnxGraph.FLOAT, n, widths[k]).constant(kinds[k] + "_" + s, values, n, widths[k]);
            }
        }
        return graph.write(dir.resolve("retinaface_10g.onnx"));
    }

    @Test
    void retinafacePlantedDetectionDecodesToThePlantedBox() {
        int stride = 16;
        int cols = 640 / stride;
        int cell = 12 * cols + 20;
        float[] distances = {2, 3, 4, 5};
        float[] offsets = {-1, -1, 1, -1, 0, 0, -1, 1, 1, 1};
        Path model = anchorModel(stride, cell * 2, 0.93f, distances, offsets);
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.RETINAFACE, model, 640)), FaceDetection.Options.DEFAULT);
             Mat frame = new Mat(640, 1280, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            List<Face> faces = detection.detect(frame);
            assertEquals(1, faces.size(), "the two anchors of the cell overlap completely: NMS keeps one");
            Face face = faces.get(0);
            float ax = 20 * stride;
            float ay = 12 * stride;
            float ratio = 2f; // 1280 wide, shrunk to 640
            assertEquals(0.93f, face.score(), 1e-6);
            assertEquals((ax - 2 * stride) * ratio, face.box().x1(), 1e-3);
            assertEquals((ay - 3 * stride) * ratio, face.box().y1(), 1e-3);
            assertEquals((ax + 4 * stride) * ratio, face.box().x2(), 1e-3);
            assertEquals((ay + 5 * stride) * ratio, face.box().y2(), 1e-3);
            assertEquals((ax - stride) * ratio, face.landmark5().get(0).x(), 1e-3);
            assertEquals((ay + stride) * ratio, face.landmark5().get(4).y(), 1e-3);
        }
    }

    @Test
    void yoloFacePlantedRowDecodesAndTheThresholdIsStrict() {
        int n = 8400;
        float[] values = new float[20 * n];
        int row = 1234;
        float[] planted = {320, 240, 100, 120, 0.8f, 300, 220, 0.9f, 340, 220, 0.9f, 320, 240, 0.9f, 305, 265, 0.9f, 335, 265, 0.9f};
        for (int k = 0; k < 20; k++) {
            values[k * n + row] = planted[k];
        }
        values[4 * n + 77] = 0.5f;
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 640, 640).output("output0", OnnxGraph.FLOAT, 1, 20, n)
                .constant("output0", values, 1, 20, n).write(dir.resolve("yoloface_8n.onnx"));
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YOLO_FACE, model, 640)), FaceDetection.Options.DEFAULT);
             Mat frame = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {
            List<Face> faces = detection.detect(frame);
            assertEquals(1, faces.size(), "a score of exactly 0.5 is dropped (yolo_face keeps score > threshold)");
            assertEquals(new Box(270, 180, 370, 300), faces.get(0).box());
            assertEquals(new Point(335, 265), faces.get(0).landmark5().get(4));
        }
    }

    @Test
    void preprocessingShrinksToFitPadsWithZerosAndNormalises() {
        try (Mat frame = new Mat(100, 200, opencv_core.CV_8UC3, new Scalar(10, 20, 30, 0))) {
            DetectorInput input = DetectorInput.of(frame, 160, DetectorModel.SCRFD.normalise());
            assertEquals(200f / 160f, input.ratioX(), 1e-6);
            assertEquals(100f / 80f, input.ratioY(), 1e-6);
            int plane = 160 * 160;
            assertEquals((10 - 127.5f) / 128f, input.nchw()[0], 1e-6, "blue first: detectors take BGR");
            assertEquals((30 - 127.5f) / 128f, input.nchw()[2 * plane], 1e-6);
            assertEquals((0 - 127.5f) / 128f, input.nchw()[100 * 160 + 5], 1e-6, "below the shrunk frame: zero padding");
            DetectorInput small = DetectorInput.of(frame, 640, DetectorModel.YUNET.normalise());
            assertEquals(1f, small.ratioX(), 0, "never enlarged");
            assertEquals(10f, small.nchw()[0], 0, "yunet takes raw 0-255");
        }
    }

    @Test
    void aSidewaysFaceIsFoundWithTheRightAngleAndMappedBack() {
        Path yunet = SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx");
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST);
             FaceDetection upright = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, yunet, 640)), FaceDetection.Options.DEFAULT)) {
            Mat frame = reader.next().image();
            Face reference = upright.detect(frame).get(0);
            try (Mat sideways = new Mat()) {
                opencv_core.rotate(frame, sideways, opencv_core.ROTATE_90_CLOCKWISE);
                try (FaceDetection turned = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, yunet, 640)),
                        new FaceDetection.Options(0.5f, null, List.of(0, 90)))) {
                    List<Face> faces = turned.detect(sideways);
                    assertEquals(1, faces.size(), faces.toString());
                    // the clockwise-turned frame's point (x, y) was (y, h - x) in the upright frame
                    Point eye = faces.get(0).landmark5().get(0);
                    Point upright0 = new Point(eye.y(), frame.rows() - eye.x());
                    Point expected = reference.landmark5().stream().min(java.util.Comparator.comparingDouble(
                            p -> Math.hypot(p.x() - upright0.x(), p.y() - upright0.y()))).orElseThrow();
                    assertTrue(Math.hypot(expected.x() - upright0.x(), expected.y() - upright0.y()) < 12, "mapped back near an upright eye: " + upright0);
                }
            }
            frame.close();
        }
    }

    @Test
    void marginPadsTheFrameAndIsSubtractedAfterwards() {
        Path yunet = SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx");
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST);
             FaceDetection plain = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, yunet, 640)), FaceDetection.Options.DEFAULT);
             FaceDetection margined = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, yunet, 640)),
                     new FaceDetection.Options(0.5f, new int[] {20, 0, 0, 20}, List.of(0)))) {
            Mat frame = reader.next().image();
            Face a = plain.detect(frame).get(0);
            Face b = margined.detect(frame).get(0);
            assertEquals(a.box().x1(), b.box().x1(), 8f, "the margin is removed from the result");
            assertEquals(a.box().y1(), b.box().y1(), 8f);
            frame.close();
        }
    }
}
