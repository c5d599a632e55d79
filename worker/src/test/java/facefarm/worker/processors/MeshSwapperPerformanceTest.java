package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import facefarm.worker.processors.meshswap.MeshWarp;
import facefarm.worker.processors.meshswap.SwapMask;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Does the open swap perform as the actor did? Each clip is swapped with astronaut.png and judged by models the
 * swapper does not use: PFLD-68 for the mouth's and eyes' opening, MobileFaceNet for identity. Prints the figures the
 * README quotes, and writes before/after stills to target/mesh-swapper/.
 */
class MeshSwapperPerformanceTest {

    /** The seam measure of one frame, over the mask the swapper used. */
    private static void seams(MeshWarp warp, List<Point> points, Mat original, Mat output, List<Double> excess, List<Double> variation) {
        Rect box = box(points, original);
        try (Mat warped = new Mat(); Mat coverage = new Mat()) {
            warp.warp(points, box, warped, coverage);
            try (SwapMask mask = SwapMask.of(points, box, coverage)) {
                for (SeamProbe.Sector sector : SeamProbe.measure(original, output, mask.alpha(), box.x(), box.y())) {
                    if (!Double.isNaN(sector.excess())) {
                        excess.add(sector.excess());
                        variation.add(sector.variation());
                    }
                }
            }
        }
    }

    /** The mean lightness (Lab L) of the face's box, in the frame and in the output. */
    private static void faceLightness(Mat original, Mat output, List<Point> points, List<Double> target, List<Double> result) {
        Rect box = box(points, original);
        try (Mat a = new Mat(original, box); Mat b = new Mat(output, box); Mat labA = new Mat(); Mat labB = new Mat()) {
            opencv_imgproc.cvtColor(a, labA, opencv_imgproc.COLOR_BGR2Lab);
            opencv_imgproc.cvtColor(b, labB, opencv_imgproc.COLOR_BGR2Lab);
            target.add(opencv_core.mean(labA).get(0));
            result.add(opencv_core.mean(labB).get(0));
        }
    }

    /** The box the swapper works in. */
    private static Rect box(List<Point> points, Mat frame) {
        return MeshSwapper.bounds(points, frame.cols(), frame.rows(), MeshSwapper.BOX_MARGIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"face_1.mp4", "face_2.mp4", "face_4.mp4"})
    void theSwappedFaceMovesAsTheTargetsDoesAndLooksLikeTheSource(String clip) throws Exception {
        Path models = SharedFiles.modelsDir();
        Path video = SharedFiles.media(clip);
        Path stills = Path.of("target", "mesh-swapper");
        Files.createDirectories(stills);
        long frameCount = VideoProbe.probe(video).frames();
        try (FaceDetection detection = new FaceDetection(
                List.of(new OnnxFaceDetector(DetectorModel.YUNET, models.resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FaceMesh468 mesh = new FaceMesh468(models.resolve("mediapipe_face_landmark_barracuda.onnx"));
             FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", models.resolve("mobilefacenet_pixamatch.onnx"));
             Pfld68 judge = new Pfld68(models.resolve("pfld_68pt_cunjian.onnx"));
             MeshSwapper swapper = MeshSwapperTest.swapper(detection, MeshSwapper.Blend.MULTIBAND);
             FrameReader reader = new FrameReader(video, new FrameRange(0, frameCount), Keyframe.FIRST);
             Mat sourceImage = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
            Face sourceFace = detection.detect(sourceImage).get(0);
            MeshWarp sourceWarp = new MeshWarp(sourceImage, mesh.run(sourceImage, sourceFace).points());
            List<Double> seamExcess = new ArrayList<>();
            List<Double> seamVariation = new ArrayList<>();
            List<Double> targetLight = new ArrayList<>();
            List<Double> outputLight = new ArrayList<>();
            float[] source = recognizer.embed(sourceImage, detection.detect(sourceImage).get(0)).embeddingNorm();
            List<Double> targetMouth = new ArrayList<>();
            List<Double> outputMouth = new ArrayList<>();
            List<Double> targetEyes = new ArrayList<>();
            List<Double> outputEyes = new ArrayList<>();
            double similarity = 0;
            int closerToSource = 0;
            for (FrameReader.IndexedFrame next = reader.next(); next != null; next = reader.next()) {
                try (Mat frame = next.image(); Mat original = frame.clone()) {
                    List<Face> faces = detection.detect(frame);
                    assertEquals(1, faces.size(), clip + ": one face in frame " + next.index());
                    Face face = faces.get(0);
                    List<Point> points = mesh.run(frame, face).points();
                    swapper.swap(frame, points);
                    seams(sourceWarp, points, original, frame, seamExcess, seamVariation);
                    faceLightness(original, frame, points, targetLight, outputLight);
                    List<Point> before = judge.points(original, face.box());
                    List<Point> after = judge.points(frame, face.box());
                    targetMouth.add(Pfld68.mouthOpening(before, face.box()));
                    outputMouth.add(Pfld68.mouthOpening(after, face.box()));
                    targetEyes.add(Pfld68.eyeOpening(before));
                    outputEyes.add(Pfld68.eyeOpening(after));
                    float[] swapped = recognizer.embed(frame, face).embeddingNorm();
                    float[] target = recognizer.embed(original, face).embeddingNorm();
                    similarity += 1 - FaceRecognizer.distance(swapped, source);
                    if (FaceRecognizer.distance(swapped, source) < FaceRecognizer.distance(swapped, target)) {
                        closerToSource++;
                    }
                    if (next.index() % 30 == 14) {
                        opencv_imgcodecs.imwrite(stills.resolve(clip + "-" + next.index() + "-before.jpg").toString(), original);
                        opencv_imgcodecs.imwrite(stills.resolve(clip + "-" + next.index() + "-after.jpg").toString(), frame);
                    }
                }
            }
            int frames = targetMouth.size();
            double correlation = Series.correlation(targetMouth, outputMouth);
            double amplitude = Series.deviation(outputMouth) / Series.deviation(targetMouth);
            double eyeCorrelation = Series.correlation(targetEyes, outputEyes);
            Blinks blinks = Blinks.of(targetEyes, outputEyes);
            double seamStep = Series.mean(seamExcess);
            double sceneVariation = Series.mean(seamVariation);
            double seamed = seamExcess.stream().filter(e -> e > sceneVariation).count() / (double) seamExcess.size();
            double targetFlicker = Series.meanStep(targetLight);
            double outputFlicker = Series.meanStep(outputLight);
            String figures = String.format(Locale.ROOT,
                    "%s: mouth opening correlation %.3f, amplitude ratio %.2f; eye opening correlation %.3f, %s; %d of %d frames closer to the source, "
                            + "mean similarity to it %.3f; seam step %.2f against the scene's local variation %.2f (%.1f%% of boundary sectors above it); "
                            + "face lightness frame to frame %.2f, the target's %.2f",
                    clip, correlation, amplitude, eyeCorrelation, blinks, closerToSource, frames, similarity / frames, seamStep, sceneVariation,
                    100 * seamed, outputFlicker, targetFlicker);
            System.out.println(figures);
            assertEquals(frameCount, frames);
            assertTrue(correlation >= 0.95, "the mouth opens and closes with the target's: " + figures);
            assertTrue(amplitude >= 0.85 && amplitude <= 1.2, "the mouth opens as wide as the target's: " + figures);
            assertTrue(blinks.keptBlinks() * 3 >= blinks.targetBlinks() * 2 && blinks.addedBlinks() <= frames / 50,
                    "the target's blinks are the output's: " + figures);
            assertTrue(closerToSource >= 0.9 * frames, "the face is the source's: " + figures);
            assertTrue(seamStep < sceneVariation && seamed < 0.1, "no step at the blend's boundary beyond the scene's own: " + figures);
            assertTrue(outputFlicker <= targetFlicker * 1.5 + 0.1, "the face's light is as steady as the footage's: " + figures);
        }
    }
}
