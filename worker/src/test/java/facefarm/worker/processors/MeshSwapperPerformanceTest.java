package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DenseMesh;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.EyeOpening;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceLight;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.VideoProbe;
import facefarm.worker.processors.meshswap.MeshWarp;
import facefarm.worker.processors.meshswap.SwapMask;
import facefarm.worker.tracking.FaceTracks;
import facefarm.worker.tracking.TrackSettings;
import facefarm.worker.tracking.TrackedFace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Does the open swap perform as the actor did? Each clip is swapped with astronaut.png and judged by models the
 * swapper does not use: PFLD-68 for the mouth's and eyes' opening, MobileFaceNet for identity. Prints the figures the
 * README quotes, and writes before/after stills to target/mesh-swapper/.
 */
class MeshSwapperPerformanceTest {

    /** Swaps each resolved frame as the pipeline does and keeps the judges' readings of it and of the original. */
    private static final class Judge {
        final List<Double> targetMouth = new ArrayList<>();
        final List<Double> outputMouth = new ArrayList<>();
        final List<Double> targetEyes = new ArrayList<>();
        final List<Double> outputEyes = new ArrayList<>();
        final List<Double> seamExcess = new ArrayList<>();
        final List<Double> seamVariation = new ArrayList<>();
        final List<Double> targetLight = new ArrayList<>();
        final List<Double> outputLight = new ArrayList<>();
        double similarity;
        int closerToSource;
        private final String clip;
        private final MeshWarp sourceWarp;
        private final FaceRecognizer recognizer;
        private final float[] source;
        private final Pfld68 landmarker;
        private final Path stills;

        Judge(String clip, MeshWarp sourceWarp, FaceRecognizer recognizer, float[] source, Pfld68 landmarker, Path stills) {
            this.clip = clip;
            this.sourceWarp = sourceWarp;
            this.recognizer = recognizer;
            this.source = source;
            this.landmarker = landmarker;
            this.stills = stills;
        }

        void frame(long index, Mat original, List<TrackedFace> tracked, MeshSwapper swapper) {
            assertEquals(1, tracked.size(), clip + ": one tracked face in frame " + index);
            Face face = tracked.get(0).raw();
            DenseMesh mesh = tracked.get(0).face().mesh();
            try (original; Mat frame = original.clone()) {
                swapper.process(index, frame, List.of(tracked.get(0).face()));
                seams(mesh, original, frame);
                faceLightness(original, frame, mesh.points());
                List<Point> before = landmarker.points(original, face.box());
                List<Point> after = landmarker.points(frame, face.box());
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
                if (index % 30 == 14) {
                    still(index, original, frame, box(mesh.points(), original));
                }
            }
        }

        /** The seam measure of one frame, over the mask the swapper used. */
        private void seams(DenseMesh mesh, Mat original, Mat output) {
            Rect box = box(mesh.points(), original);
            try (Mat warped = new Mat(); Mat coverage = new Mat()) {
                sourceWarp.warp(mesh.points(), box, warped, coverage);
                try (SwapMask mask = SwapMask.of(mesh.points(), box, coverage, mesh.relativeEyeOpening())) {
                    for (SeamProbe.Sector sector : SeamProbe.measure(original, output, mask.alpha(), box.x(), box.y())) {
                        if (!Double.isNaN(sector.excess())) {
                            seamExcess.add(sector.excess());
                            seamVariation.add(sector.variation());
                        }
                    }
                }
            }
        }

        /** The mean lightness (Lab L) of the face's box, in the frame and in the output. */
        private void faceLightness(Mat original, Mat output, List<Point> points) {
            Rect box = box(points, original);
            try (Mat a = new Mat(original, box); Mat b = new Mat(output, box); Mat labA = new Mat(); Mat labB = new Mat()) {
                opencv_imgproc.cvtColor(a, labA, opencv_imgproc.COLOR_BGR2Lab);
                opencv_imgproc.cvtColor(b, labB, opencv_imgproc.COLOR_BGR2Lab);
                targetLight.add(opencv_core.mean(labA).get(0));
                outputLight.add(opencv_core.mean(labB).get(0));
            }
        }

        /** The face's box before and after, side by side at twice the size. */
        private void still(long index, Mat original, Mat output, Rect box) {
            try (Mat before = new Mat(original, box); Mat after = new Mat(output, box); MatVector pair = new MatVector(before, after);
                 Mat both = new Mat(); Mat large = new Mat()) {
                opencv_core.hconcat(pair, both);
                opencv_imgproc.resize(both, large, new Size(), 2, 2, opencv_imgproc.INTER_CUBIC);
                opencv_imgcodecs.imwrite(stills.resolve(clip + "-" + index + ".png").toString(), large);
            }
        }
    }

    /** The box the swapper works in. */
    private static Rect box(List<Point> points, Mat frame) {
        return MeshSwapper.bounds(points, frame.cols(), frame.rows(), MeshSwapper.BOX_MARGIN);
    }

    /** The floor is each clip's mean similarity to the source before blinks were judged along the track. */
    @ParameterizedTest
    @CsvSource({"face_1.mp4, 0.743", "face_2.mp4, 0.703", "face_4.mp4, 0.681"})
    void theSwappedFaceMovesAsTheTargetsDoesAndLooksLikeTheSource(String clip, double similarityFloor) throws Exception {
        Path models = SharedFiles.modelsDir();
        Path video = SharedFiles.media(clip);
        Path stills = Path.of("target", "mesh-swapper");
        Files.createDirectories(stills);
        long frameCount = VideoProbe.probe(video).frames();
        try (FaceDetection detection = new FaceDetection(
                List.of(new OnnxFaceDetector(DetectorModel.YUNET, models.resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FaceMesh468 mesh = new FaceMesh468(models.resolve("mediapipe_face_landmark_barracuda.onnx"));
             FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", models.resolve("mobilefacenet_pixamatch.onnx"));
             Pfld68 landmarker = new Pfld68(models.resolve("pfld_68pt_cunjian.onnx"));
             MeshSwapper swapper = MeshSwapperTest.swapper(detection, MeshSwapper.Blend.MULTIBAND);
             FrameReader reader = new FrameReader(video, new FrameRange(0, frameCount), Keyframe.FIRST);
             Mat sourceImage = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
            Face sourceFace = detection.detect(sourceImage).get(0);
            MeshWarp sourceWarp = new MeshWarp(sourceImage, mesh.run(sourceImage, sourceFace).points());
            Judge judge = new Judge(clip, sourceWarp, recognizer, recognizer.embed(sourceImage, sourceFace).embeddingNorm(), landmarker, stills);
            // the pipeline's own tracking: meshes smoothed and blinks judged along the track, frames resolved as it allows
            FaceTracks tracks = new FaceTracks(TrackSettings.of(null), null);
            ArrayDeque<Mat> pending = new ArrayDeque<>();
            long resolved = 0;
            for (FrameReader.IndexedFrame next = reader.next(); next != null; next = reader.next()) {
                Mat frame = next.image();
                List<Face> faces = detection.detect(frame);
                assertEquals(1, faces.size(), clip + ": one face in frame " + next.index());
                List<Point> points = mesh.run(frame, faces.get(0)).points();
                tracks.add(next.index(), List.of(faces.get(0).withMesh(DenseMesh.of(points, EyeOpening.of(frame, points), FaceLight.sample(frame, points)))));
                pending.addLast(frame);
                for (; tracks.ready(resolved, false); resolved++) {
                    judge.frame(resolved, pending.removeFirst(), tracks.resolve(resolved), swapper);
                }
            }
            for (; resolved < frameCount && tracks.ready(resolved, true); resolved++) {
                judge.frame(resolved, pending.removeFirst(), tracks.resolve(resolved), swapper);
            }
            sourceWarp.close();
            List<Double> targetMouth = judge.targetMouth;
            List<Double> outputMouth = judge.outputMouth;
            List<Double> targetEyes = judge.targetEyes;
            List<Double> outputEyes = judge.outputEyes;
            List<Double> seamExcess = judge.seamExcess;
            List<Double> seamVariation = judge.seamVariation;
            double similarity = judge.similarity;
            int closerToSource = judge.closerToSource;
            int frames = targetMouth.size();
            double correlation = Series.correlation(targetMouth, outputMouth);
            double amplitude = Series.deviation(outputMouth) / Series.deviation(targetMouth);
            double eyeCorrelation = Series.correlation(targetEyes, outputEyes);
            Blinks blinks = Blinks.of(targetEyes, outputEyes);
            double seamStep = Series.mean(seamExcess);
            double sceneVariation = Series.mean(seamVariation);
            double seamed = seamExcess.stream().filter(e -> e > sceneVariation).count() / (double) seamExcess.size();
            double targetFlicker = Series.meanStep(judge.targetLight);
            double outputFlicker = Series.meanStep(judge.outputLight);
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
            assertTrue(blinks.keptBlinks() == blinks.targetBlinks() && blinks.addedBlinks() <= frames / 50,
                    "the target's blinks are the output's: " + figures);
            assertTrue(closerToSource >= 0.93 * frames, "the face is the source's: " + figures);
            assertTrue(similarity / frames >= similarityFloor, "the face is at least as much the source's as before: " + figures);
            assertTrue(seamStep < sceneVariation && seamed < 0.1, "no step at the blend's boundary beyond the scene's own: " + figures);
            assertTrue(outputFlicker <= targetFlicker * 1.5 + 0.1, "the face's light is as steady as the footage's: " + figures);
        }
    }
}
