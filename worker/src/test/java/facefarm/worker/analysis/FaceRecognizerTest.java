package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.media.FrameReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceRecognizerTest {
    @TempDir
    Path dir;

    @Test
    void theModelSeesTheArcfaceCropInRgbScaledToMinusOneToOne() {
        int w = 200;
        int h = 180;
        byte[] pixels = new byte[w * h * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i * 31) % 251);
        }
        try (Mat frame = new Mat(h, w, opencv_core.CV_8UC3)) {
            ((ByteBuffer) frame.createBuffer()).put(pixels);
            // points exactly on the template, shifted by whole pixels: the crop is a plain shift of the frame
            List<Point> points = WarpTemplate.ARCFACE_112_V2.points(112).stream().map(p -> new Point(p.x() + 40, p.y() + 30)).toList();
            float[] nchw = FaceRecognizer.prepare(frame, points);
            int plane = 112 * 112;
            for (int y = 0; y < 112; y += 7) {
                for (int x = 0; x < 112; x += 5) {
                    int i = ((y + 30) * w + x + 40) * 3;
                    assertEquals((pixels[i + 2] & 0xff) / 127.5f - 1, nchw[y * 112 + x], 1e-5, "red first");
                    assertEquals((pixels[i + 1] & 0xff) / 127.5f - 1, nchw[plane + y * 112 + x], 1e-5);
                    assertEquals((pixels[i] & 0xff) / 127.5f - 1, nchw[2 * plane + y * 112 + x], 1e-5);
                }
            }
        }
    }

    @Test
    void arcfaceShapedGraphGivesRawAndUnitEmbeddings() {
        float[] planted = new float[512];
        planted[0] = 3;
        planted[1] = 4;
        Path model = new OnnxGraph().input("input.1", OnnxGraph.FLOAT, 1, 3, 112, 112).output("683", OnnxGraph.FLOAT, 1, 512)
                .constant("683", planted, 1, 512).write(dir.resolve("arcface_w600k_r50.onnx"));
        try (FaceRecognizer recognizer = new FaceRecognizer(FaceRecognizer.ARCFACE, model);
             Mat frame = new Mat(200, 200, opencv_core.CV_8UC3)) {
            Face face = recognizer.embed(frame, Face.detected(new Box(0, 0, 100, 100), 0.9f, WarpTemplate.ARCFACE_112_V2.points(112)));
            assertArrayEquals(planted, face.embedding());
            assertEquals(0.6f, face.embeddingNorm()[0], 1e-6);
            assertEquals(0.8f, face.embeddingNorm()[1], 1e-6);
        }
        float[] a = {1, 0};
        float[] b = {0, 1};
        assertEquals(0.5f, FaceRecognizer.distance(a, b), 1e-6, "orthogonal: (1 - 0) / 2");
        assertEquals(0f, FaceRecognizer.distance(a, a), 1e-6);
        assertEquals(1f, FaceRecognizer.distance(a, new float[] {-1, 0}), 1e-6);
    }

    /** The real MobileFaceNet here has ArcFace's input contract (128-d output): identity on real faces. */
    @Test
    void samePersonIsCloseAndDifferentPeopleAreFarOnRealFaces() {
        Path model = SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx");
        Path yunet = SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx");
        try (FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", model);
             FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, yunet, 640)), FaceDetection.Options.DEFAULT)) {
            Face a0 = embedFrame(recognizer, detection, "face_2.mp4", 0);
            Face a1 = embedFrame(recognizer, detection, "face_2.mp4", 100);
            Face b = embedFrame(recognizer, detection, "face_1.mp4", 30);
            Face c;
            try (Mat astronaut = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
                c = recognizer.embed(astronaut, detection.detect(astronaut).get(0));
            }
            assertEquals(128, a0.embedding().length);
            float same = FaceRecognizer.distance(a0.embeddingNorm(), a1.embeddingNorm());
            float other = FaceRecognizer.distance(a0.embeddingNorm(), b.embeddingNorm());
            float astronautDistance = FaceRecognizer.distance(a0.embeddingNorm(), c.embeddingNorm());
            assertTrue(same < 0.3f, "same person across the clip: " + same);
            assertTrue(other > 0.3f && astronautDistance > 0.3f, "different people: " + other + ", " + astronautDistance);
            Face average = FaceRecognizer.averageIdentity(List.of(a0, a1));
            assertEquals((a0.embedding()[5] + a1.embedding()[5]) / 2, average.embedding()[5], 1e-6);
        }
    }

    private static Face embedFrame(FaceRecognizer recognizer, FaceDetection detection, String clip, int index) {
        try (FrameReader reader = new FrameReader(SharedFiles.media(clip), new FrameRange(index, index + 1), Keyframe.FIRST)) {
            try (Mat frame = reader.next().image()) {
                return recognizer.embed(frame, detection.detect(frame).get(0));
            }
        }
    }
}
