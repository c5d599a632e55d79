package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.media.FrameReader;
import facefarm.worker.tracking.FaceTracks;
import facefarm.worker.tracking.TrackSettings;
import facefarm.worker.tracking.TrackedFace;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Detection removed on purpose from three frames of face_2.mp4: the track bridges them, and the mesh swapper still
 * swaps the face there (MobileFaceNet, which took no part, finds it closer to the source than to the target). With
 * smoothing off, as in FaceFusion, those frames are left unswapped.
 */
class GapFillingTest {
    private static final Set<Integer> MISSED = Set.of(40, 41, 42);

    @Test
    void framesWhoseDetectionWasRemovedStillGetASwappedFace() {
        FaceDetection yunet = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
        List<Mat> frames = new ArrayList<>();
        List<List<Face>> faces = new ArrayList<>();
        try (FaceAnalyser analyser = new FaceAnalyser(yunet, null, List.of(), 0.5f, null, FaceSelector.Order.LARGE_SMALL,
                new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx")), true);
             FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"));
             MeshSwapper swapper = MeshSwapperTest.swapper(yunet, MeshSwapper.Blend.MULTIBAND);
             FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(30, 55), Keyframe.FIRST);
             Mat sourceImage = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
            for (FrameReader.IndexedFrame frame = reader.next(); frame != null; frame = reader.next()) {
                frames.add(frame.image());
                List<Face> found = analyser.analyse(frame.image());
                assertEquals(1, found.size(), "face_2.mp4 has its face in frame " + frame.index());
                faces.add(MISSED.contains((int) frame.index()) ? List.of() : found);
            }
            float[] source = recognizer.embed(sourceImage, yunet.detect(sourceImage).get(0)).embeddingNorm();
            List<List<TrackedFace>> off = resolveAll(faces, TrackSettings.OFF);
            List<List<TrackedFace>> on = resolveAll(faces, TrackSettings.of(null));
            for (int missed : MISSED) {
                int i = missed - 30;
                Mat original = frames.get(i);
                assertTrue(off.get(i).isEmpty(), "frame by frame, frame " + missed + " has no face to swap");
                try (Mat unswapped = original.clone()) {
                    swapper.process(missed, unswapped, off.get(i).stream().map(TrackedFace::face).toList());
                    assertArrayEquals(bytes(original), bytes(unswapped), "frame " + missed + " is left as it was without tracks");
                }
                assertEquals(1, on.get(i).size(), "the track fills frame " + missed);
                TrackedFace filled = on.get(i).get(0);
                assertTrue(filled.interpolated());
                assertNotNull(filled.face().mesh(), "the mesh is interpolated too");
                assertEquals(on.get(0).get(0).track(), filled.track(), "on the clip's one track");
                try (Mat swapped = original.clone()) {
                    swapper.process(missed, swapped, List.of(filled.face()));
                    Face actual = yunet.detect(original).get(0);
                    float[] toSwapped = recognizer.embed(swapped, actual).embeddingNorm();
                    float[] target = recognizer.embed(original, actual).embeddingNorm();
                    float toSource = FaceRecognizer.distance(toSwapped, source);
                    float toTarget = FaceRecognizer.distance(toSwapped, target);
                    assertTrue(toSource < toTarget, "frame " + missed + " is swapped: distance to the source " + toSource + ", to the target " + toTarget);
                }
            }
        } finally {
            frames.forEach(Mat::close);
        }
    }

    private static List<List<TrackedFace>> resolveAll(List<List<Face>> faces, TrackSettings settings) {
        FaceTracks tracks = new FaceTracks(settings, null);
        for (int i = 0; i < faces.size(); i++) {
            tracks.add(30 + i, faces.get(i));
        }
        List<List<TrackedFace>> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            out.add(tracks.resolve(30 + i));
        }
        return out;
    }

    private static byte[] bytes(Mat image) {
        byte[] out = new byte[(int) image.total() * image.channels()];
        ((ByteBuffer) image.createBuffer()).get(out);
        return out;
    }
}
