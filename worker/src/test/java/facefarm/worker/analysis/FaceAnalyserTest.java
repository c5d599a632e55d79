package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.media.FrameReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis chain on a real face (YuNet on face_2.mp4): 68/5, landmarker choice and the '5/68' gating, with
 * landmark models whose outputs the test plants; and batching, with real models, against frame-by-frame runs.
 */
class FaceAnalyserTest {
    @TempDir
    Path dir;

    private final List<Mat> frames = new ArrayList<>();

    @BeforeEach
    void readFrames() {
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_1.mp4"), new FrameRange(0, 11), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame frame; (frame = reader.next()) != null; ) {
                frames.add(frame.image());
            }
        }
    }

    @AfterEach
    void closeFrames() {
        frames.forEach(Mat::close);
    }

    @Test
    void theMeshSwappersReadingsComeOnlyWhenTheChainUsesThem() {
        Path faceMesh = SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx");
        try (FaceAnalyser points = new FaceAnalyser(yunet(), null, List.of(), 0.5f, null, FaceSelector.Order.LARGE_SMALL, new FaceMesh468(faceMesh), false);
             FaceAnalyser readings = new FaceAnalyser(yunet(), null, List.of(), 0.5f, null, FaceSelector.Order.LARGE_SMALL, new FaceMesh468(faceMesh), true)) {
            DenseMesh bare = points.analyse(frames.get(0)).get(0).mesh();
            DenseMesh read = readings.analyse(frames.get(0)).get(0).mesh();
            assertEquals(read.points(), bare.points(), "the same mesh either way");
            assertTrue(Double.isNaN(bare.eyeOpening()) && bare.light() == null, "the lip syncer's chain reads neither the eyes nor the light");
            assertTrue(read.eyeOpening() > 0.5 && read.light() != null && read.light().length == 3 * 468, "the mesh swapper's reads both");
        }
    }

    private static FaceDetection yunet() {
        return new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)),
                FaceDetection.Options.DEFAULT);
    }

    private static float[] planted68(int stride, float third) {
        float[] values = new float[68 * stride];
        for (int i = 0; i < 68; i++) {
            values[i * stride] = 16 + (i % 17) * 2;
            values[i * stride + 1] = 14 + (i / 17) * 9;
            if (stride == 3) {
                values[i * stride + 2] = third;
            }
        }
        return values;
    }

    /** A 2dfan4-shaped graph whose heat-maps all peak at {@code peak}: landmark score peak / 0.9. */
    private Landmarker68 twoDfan4(float peak) {
        float[] heatmaps = new float[68 * 64 * 64];
        Arrays.fill(heatmaps, peak);
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 256, 256)
                .output("landmarks", OnnxGraph.FLOAT, 1, 68, 3).output("heatmaps", OnnxGraph.FLOAT, 1, 68, 64, 64)
                .constant("landmarks", planted68(3, 0), 1, 68, 3).constant("heatmaps", heatmaps, 1, 68, 64, 64)
                .write(dir.resolve("2dfan4-" + peak + ".onnx"));
        return new Landmarker68(Landmarker68.Model.TWO_DFAN4, model);
    }

    /** A peppa_wutz-shaped graph whose score column is {@code score}: landmark score score / 0.95. */
    private Landmarker68 peppa(float score) {
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 256, 256).output("output", OnnxGraph.FLOAT, 1, 204)
                .constant("output", planted68(3, score), 1, 204).write(dir.resolve("peppa-" + score + ".onnx"));
        return new Landmarker68(Landmarker68.Model.PEPPA_WUTZ, model);
    }

    private static void assertPoints(List<Point> expected, List<Point> actual) {
        assertPoints(expected, actual, 1e-3);
    }

    private static void assertPoints(List<Point> expected, List<Point> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).x(), actual.get(i).x(), tolerance, "x of point " + i);
            assertEquals(expected.get(i).y(), actual.get(i).y(), tolerance, "y of point " + i);
        }
    }

    @Test
    void aConfidentLandmarkerGivesTheAlignmentPointsAndAnUnsureOneLeavesTheDetectors() {
        Mat frame = frames.get(0);
        try (FaceAnalyser confident = new FaceAnalyser(yunet(), null, List.of(twoDfan4(0.81f)), 0.5f, null, FaceSelector.Order.LARGE_SMALL);
             FaceAnalyser unsure = new FaceAnalyser(yunet(), null, List.of(twoDfan4(0.36f)), 0.5f, null, FaceSelector.Order.LARGE_SMALL)) {
            Face sure = confident.analyse(frame).get(0);
            int angle = Landmarks.angle(sure.landmark5().get(0), sure.landmark5().get(1));
            assertEquals(0, angle, "an upright face");
            float[] heatmaps = new float[68 * 64 * 64];
            Arrays.fill(heatmaps, 0.81f);
            List<Point> expected = Landmarker68.decode(Landmarker68.Model.TWO_DFAN4, planted68(3, 0), heatmaps, Landmarker68.cropMatrix(sure.box(), 0)).points();
            assertPoints(expected, sure.landmark68());
            assertEquals(0.9f, sure.landmarkScore(), 1e-5);
            assertPoints(Landmarks.fiveFrom68(expected), sure.alignment());

            Face doubtful = unsure.analyse(frame).get(0);
            assertEquals(0.4f, doubtful.landmarkScore(), 1e-5);
            assertPoints(expected, doubtful.landmark68());
            assertEquals(doubtful.landmark5(), doubtful.alignment(), "score 0.4 is not above 0.5: the detector's 5 points are used");
        }
    }

    @Test
    void manyTakes2dfan4UnlessItScoresAtLeast02BelowPeppaWutz() {
        Mat frame = frames.get(0);
        try (FaceAnalyser peppaWins = new FaceAnalyser(yunet(), null, List.of(twoDfan4(0.45f), peppa(0.76f)), 0.5f, null, FaceSelector.Order.LARGE_SMALL);
             FaceAnalyser fanWins = new FaceAnalyser(yunet(), null, List.of(twoDfan4(0.63f), peppa(0.76f)), 0.5f, null, FaceSelector.Order.LARGE_SMALL)) {
            assertEquals(0.8f, peppaWins.analyse(frame).get(0).landmarkScore(), 1e-5, "2dfan4 0.5 <= peppa 0.8 - 0.2");
            assertEquals(0.7f, fanWins.analyse(frame).get(0).landmarkScore(), 1e-5, "2dfan4 0.7 > peppa 0.8 - 0.2");
        }
    }

    @Test
    void sixtyEightFromFiveGivesThePointsWithoutALandmarkerAndTheAngleOfTheCrop() {
        float[] unit = new float[136];
        for (int i = 0; i < 68; i++) {
            // a jaw line from (0.5, 0.1) straight down to (0.5, 0.9) in the unit ffhq frame: the landmarker crop turns 90
            unit[2 * i] = 0.5f;
            unit[2 * i + 1] = 0.1f + 0.8f * Math.min(i, 16) / 16f;
        }
        Path fanModel = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 5, 2).output("output", OnnxGraph.FLOAT, 1, 68, 2)
                .constant("output", unit, 1, 68, 2).write(dir.resolve("fan_68_5.onnx"));
        Mat frame = frames.get(0);
        try (FaceAnalyser fanOnly = new FaceAnalyser(yunet(), new Fan68From5(fanModel), List.of(), 0.5f, null, FaceSelector.Order.LARGE_SMALL);
             FaceAnalyser withLandmarker = new FaceAnalyser(yunet(), new Fan68From5(fanModel), List.of(peppa(0.9f)), 0.5f, null,
                     FaceSelector.Order.LARGE_SMALL)) {
            Face face = fanOnly.analyse(frame).get(0);
            List<Point> from5 = Fan68From5.decode(unit, Fan68From5.prepare(face.landmark5()).matrix());
            assertPoints(from5, face.landmark68());
            assertEquals(face.landmark5(), face.alignment(), "no landmarker score: the detector's 5 points");
            assertEquals(90, Landmarks.angle(from5.get(0), from5.get(16)));

            Face landmarked = withLandmarker.analyse(frame).get(0);
            List<Point> expected = Landmarker68.decode(Landmarker68.Model.PEPPA_WUTZ, planted68(3, 0.9f), null,
                    Landmarker68.cropMatrix(landmarked.box(), 90)).points();
            assertPoints(expected, landmarked.landmark68());
        }
    }

    @Test
    void batchedAnalysisEqualsFrameByFrame() {
        // scrfd_500m takes a batch of frames; the recogniser (fixed batch 1) shows the one-by-one path in the same run
        Path detectorFile = SharedFiles.modelsDir().resolve("scrfd_500m_bnkps.onnx");
        try (OnnxModel probe = new OnnxModel("scrfd_500m", detectorFile)) {
            assertTrue(probe.acceptsBatch(), "the test detector takes a batch, so the batched path really runs");
        }
        FaceDetection scrfd = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.SCRFD, detectorFile, 640)), FaceDetection.Options.DEFAULT);
        System.setProperty("farm.batch", "8");
        try (FaceAnalyser analyser = new FaceAnalyser(scrfd, null, List.of(), 0.5f,
                new FaceRecognizer("mobilefacenet", SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx")), FaceSelector.Order.LARGE_SMALL)) {
            List<List<Face>> batched = analyser.analyse(frames);
            assertEquals(frames.size(), batched.size());
            for (int i = 0; i < frames.size(); i++) {
                List<Face> single = analyser.analyse(frames.get(i));
                assertEquals(1, single.size(), "faces in frame " + i);
                assertEquals(single.size(), batched.get(i).size(), "faces in frame " + i);
                Face one = single.get(0);
                Face many = batched.get(i).get(0);
                assertEquals(one.box().x1(), many.box().x1(), 1e-2, "frame " + i);
                assertEquals(one.box().y2(), many.box().y2(), 1e-2, "frame " + i);
                assertEquals(one.score(), many.score(), 1e-4, "frame " + i);
                assertPoints(one.landmark5(), many.landmark5(), 1e-2);
                assertArrayEquals(one.embeddingNorm(), many.embeddingNorm(), 1e-3f, "embedding of frame " + i);
            }
            Face first = batched.get(0).get(0);
            Face last = batched.get(frames.size() - 1).get(0);
            assertTrue(FaceRecognizer.distance(first.embeddingNorm(), last.embeddingNorm()) < 0.15f, "the same person 10 frames apart");
            assertNull(first.landmark68(), "no landmarker ran");
        } finally {
            System.clearProperty("farm.batch");
        }
    }

    @Test
    void aBatchedRunSplitsEveryOutputBackToItsItem() {
        try (OnnxModel pfld = new OnnxModel("pfld", SharedFiles.modelsDir().resolve("pfld_68pt_cunjian.onnx"))) {
            assertTrue(pfld.acceptsBatch());
            List<float[]> crops = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                float[] crop = new float[3 * 112 * 112];
                for (int j = 0; j < crop.length; j++) {
                    crop[j] = ((j * 31 + i * 97) % 255) / 255f;
                }
                crops.add(crop);
            }
            List<float[][]> batched = pfld.runEach(crops, 8, 1, 3, 112, 112);
            assertEquals(11, batched.size(), "a batch of 8 and one of 3");
            for (int i = 0; i < crops.size(); i++) {
                assertArrayEquals(pfld.run(crops.get(i), 1, 3, 112, 112)[0], batched.get(i)[0], 1e-4f, "item " + i);
            }
        }
    }
}
