package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DenseMesh;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Landmarks;
import facefarm.worker.analysis.Point;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.audio.AudioTrack;
import facefarm.worker.audio.MelWindows;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import facefarm.worker.masks.FaceMasks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lip syncer against Wav2Lip's and EDTalk's contracts, with graphs of the real models' names, shapes and types built
 * here, on the first face of face_2.mp4 (its 68 points picked from the real FaceMesh) and the real espeak voice.
 */
class LipSyncerTest {
    @TempDir
    static Path dir;
    static Mat frame;
    static Face face;
    static MelWindows voice;

    @BeforeAll
    static void realFaceAndVoice() {
        RealFace real = RealFace.firstFrameOfFace2();
        frame = real.frame();
        try (FaceMesh468 mesh = new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx"))) {
            face = real.face().withMesh(DenseMesh.of(mesh.run(frame, real.face()).points(), Double.NaN, null));
        }
        voice = MelWindows.of(AudioTrack.read(SharedFiles.media("espeak_en_hello_16k.wav")), 25, 1);
    }

    @AfterAll
    static void release() {
        frame.close();
    }

    /** Wav2Lip's shape; it paints its mouth box mid-grey, and shows what it was given as two more outputs. */
    static Path greyWav2Lip() {
        return new OnnxGraph().input("source", OnnxGraph.FLOAT, 1, 1, 80, 16).input("target", OnnxGraph.FLOAT, 1, 6, 96, 96)
                .output("output", OnnxGraph.FLOAT, 1, 3, 96, 96).output("source_seen", OnnxGraph.FLOAT, 1, 1, 80, 16)
                .output("target_seen", OnnxGraph.FLOAT, 1, 6, 96, 96)
                .constant("output", filled(3 * 96 * 96, 0.5f), 1, 3, 96, 96).identity("source", "source_seen").identity("target", "target_seen")
                .write(dir.resolve("wav2lip_gan_96.onnx"));
    }

    static LipSyncer wav2lip(float weight) {
        FaceMasker noMasks = new FaceMasker(List.of(), 0.3f, new int[4], List.of(), List.of(), null, null);
        return new LipSyncer(LipSyncerModel.WAV2LIP_GAN_96, new OnnxModel("wav2lip_gan_96", greyWav2Lip()), noMasks, voice, weight);
    }

    @Test
    void wav2lipIsGivenTheMouthBoxTwiceWithItsLowerHalfHiddenAndTheFramesOwnMelWindow() {
        long[] frames = {0, 7, 21, voice.frames() + 3};
        for (float weight : new float[] {0.5f, 0.8f}) {
            try (LipSyncer syncer = wav2lip(weight); OnnxModel graph = new OnnxModel("seen", dir.resolve("wav2lip_gan_96.onnx"))) {
                for (long k : frames) {
                    float[][] seen = graph.run(syncer.wav2lipInputs(frame, face, k));
                    float[] expectedMel = voice.window(k);
                    for (int i = 0; i < expectedMel.length; i++) {
                        expectedMel[i] *= weight * 2;
                    }
                    assertArrayEquals(expectedMel, seen[1], 1e-6f, "mel window of frame " + k + " at weight " + weight);
                    assertArrayEquals(expectedTarget(), seen[2], "six-channel input of frame " + k);
                }
            }
        }
        float[] afterTheVoice = voice.window(voice.frames() + 3);
        assertTrue(Arrays.stream(box(afterTheVoice)).allMatch(v -> v == MelWindows.SILENCE), "frames after the audio hear silence");
        assertTrue(Arrays.stream(box(voice.window(10))).anyMatch(v -> v > -3), "a frame inside 'hello' hears a voice");
    }

    private static Float[] box(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /** Worked out here from the contract: ffhq_512 crop, the 68 points' box warped to 96 (area), BGR / 255, rows 48+ hidden in copy 1. */
    static float[] expectedTarget() {
        double[] matrix = FaceWarp.matrix(face.alignment(), WarpTemplate.FFHQ_512, 512);
        List<Point> points = FaceWarp.apply(matrix, Landmarks.sixtyEightFromMesh(face.mesh().points()));
        float x1 = (float) points.stream().mapToDouble(Point::x).min().orElseThrow();
        float x2 = (float) points.stream().mapToDouble(Point::x).max().orElseThrow();
        float y1 = (float) points.stream().mapToDouble(Point::y).min().orElseThrow();
        float y2 = (float) points.stream().mapToDouble(Point::y).max().orElseThrow();
        try (Mat crop = FaceWarp.crop(frame, matrix, 512); Mat mouth = new Mat();
             Mat src = new Mat(3, 1, opencv_core.CV_32FC2); Mat dst = new Mat(3, 1, opencv_core.CV_32FC2)) {
            ((java.nio.FloatBuffer) src.createBuffer()).put(new float[] {x1, y1, x2, y1, x1, y2});
            ((java.nio.FloatBuffer) dst.createBuffer()).put(new float[] {0, 0, 96, 0, 0, 96});
            try (Mat affine = opencv_imgproc.getAffineTransform(src, dst)) {
                assertTrue(x2 - x1 > 96 && y2 - y1 > 96, "the mouth box shrinks, so it is warped with INTER_AREA");
                opencv_imgproc.warpAffine(crop, mouth, affine, new Size(96, 96), opencv_imgproc.INTER_AREA, opencv_core.BORDER_CONSTANT, new Scalar());
            }
            byte[] bgr = new byte[96 * 96 * 3];
            ((ByteBuffer) mouth.createBuffer()).get(bgr);
            float[] expected = new float[6 * 96 * 96];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 96; x++) {
                        float v = (bgr[(y * 96 + x) * 3 + c] & 0xff) / 255f;
                        expected[(3 + c) * 9216 + y * 96 + x] = v;
                        expected[c * 9216 + y * 96 + x] = y < 48 ? v : 0;
                    }
                }
            }
            return expected;
        }
    }

    @Test
    void onlyTheLowerFaceOfTheFrameChanges() {
        try (LipSyncer syncer = wav2lip(0.5f); Mat synced = frame.clone()) {
            syncer.process(10, synced, List.of(face));
            List<Point> lowerFace = Arrays.stream(FaceMasks.AREAS.get("lower-face")).mapToObj(Landmarks.sixtyEightFromMesh(face.mesh().points())::get).toList();
            int[] counts = changedInsideAndOutside(frame, synced, lowerFace, 2);
            assertEquals(0, counts[1], "pixels changed more than 2 px outside the lower face's hull");
            assertTrue(counts[0] > 0.5 * counts[2], "the mouth was redrawn: " + counts[0] + " of " + counts[2] + " pixels inside the lower face changed");
        }
    }

    /** {changed inside the hull, changed farther than margin outside it, pixels inside the hull}. */
    static int[] changedInsideAndOutside(Mat before, Mat after, List<Point> area, double margin) {
        try (Mat points = new Mat(area.size(), 1, opencv_core.CV_32FC2); Mat hull = new Mat()) {
            java.nio.FloatBuffer buffer = points.createBuffer();
            area.forEach(p -> buffer.put(p.x()).put(p.y()));
            opencv_imgproc.convexHull(points, hull);
            byte[] a = new byte[(int) before.total() * 3];
            byte[] b = new byte[a.length];
            ((ByteBuffer) before.createBuffer()).get(a);
            ((ByteBuffer) after.createBuffer()).get(b);
            int inside = 0;
            int changedInside = 0;
            int changedOutside = 0;
            for (int y = 0; y < before.rows(); y++) {
                for (int x = 0; x < before.cols(); x++) {
                    double distance = opencv_imgproc.pointPolygonTest(hull, new Point2f(x, y), true);
                    int i = 3 * (y * before.cols() + x);
                    boolean changed = a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2];
                    if (distance >= 0) {
                        inside++;
                        changedInside += changed ? 1 : 0;
                    } else if (changed && distance < -margin) {
                        changedOutside++;
                    }
                }
            }
            return new int[] {changedInside, changedOutside, inside};
        }
    }

    @Test
    void edtalkIsGivenTheRgbCropTheUnscaledMelAndTheWeight() {
        Path file = new OnnxGraph().input("source", OnnxGraph.FLOAT, 1, 1, 80, 16).input("target", OnnxGraph.FLOAT, 1, 3, 256, 256)
                .input("weight", OnnxGraph.FLOAT, 1).output("output", OnnxGraph.FLOAT, 1, 3, 256, 256)
                .output("source_seen", OnnxGraph.FLOAT, 1, 1, 80, 16).output("weight_seen", OnnxGraph.FLOAT, 1)
                .identity("target", "output").identity("source", "source_seen").identity("weight", "weight_seen")
                .write(dir.resolve("edtalk_256.onnx"));
        FaceMasker box = new FaceMasker(List.of("box"), 0.3f, new int[4], List.of(), List.of(), null, null);
        try (LipSyncer syncer = new LipSyncer(LipSyncerModel.EDTALK_256, new OnnxModel("edtalk_256", file), box, voice, 0.7f);
             OnnxModel graph = new OnnxModel("seen", file); Mat synced = frame.clone()) {
            List<OnnxModel.Input> inputs = syncer.edtalkInputs(frame, face, 12);
            float[][] seen = graph.run(inputs);
            assertArrayEquals(voice.window(12), seen[1], "EDTalk hears the window unscaled");
            assertArrayEquals(new float[] {0.7f}, seen[2], "EDTalk is given the weight");
            double[] matrix = FaceWarp.matrix(face.alignment(), WarpTemplate.FFHQ_512, 512);
            try (Mat crop = FaceWarp.crop(frame, matrix, 512); Mat small = new Mat()) {
                opencv_imgproc.resize(crop, small, new Size(256, 256), 0, 0, opencv_imgproc.INTER_AREA);
                assertArrayEquals(CropRange.UNIT.tensor(small), seen[0], "EDTalk sees the crop at 256, RGB / 255");
            }
            // an EDTalk that gives its crop back leaves the face as it was, up to the 512 -> 256 -> 512 round trip
            syncer.process(12, synced, List.of(face));
            try (Mat difference = new Mat()) {
                opencv_core.absdiff(frame, synced, difference);
                double mean = opencv_core.mean(difference).get(0);
                assertTrue(mean < 1.0, "mean change " + mean + " of an echoing EDTalk");
            }
        }
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }
}
