package facefarm.worker.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import facefarm.worker.media.FrameReader;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Smoothing on real footage, with the farm's default analysis (YuNet's 5 points align the crops): the aligned eyes and
 * mouth corners must accelerate at least 50% less from frame to frame than the raw detections do, while staying within
 * 2 px of them on average.
 */
class TrackStabilityTest {
    private static final System.Logger LOG = System.getLogger(TrackStabilityTest.class.getName());
    /** Eyes and mouth corners of the 5 alignment points; the nose tip is left out, as the issue measures eyes and mouth. */
    private static final int[] EYES_AND_MOUTH = {0, 1, 3, 4};

    static List<List<Face>> analyse(String video) {
        List<List<Face>> frames = new ArrayList<>();
        FaceDetection yunet = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
        try (FaceAnalyser analyser = new FaceAnalyser(yunet);
             FrameReader reader = new FrameReader(SharedFiles.media(video), new FrameRange(0, Long.MAX_VALUE), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame frame = reader.next(); frame != null; frame = reader.next()) {
                frames.add(analyser.analyse(frame.image()));
                frame.image().close();
            }
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(strings = {"face_1.mp4", "face_2.mp4", "face_4.mp4"})
    void smoothingHalvesTheAccelerationOfEyesAndMouthAndStaysWithinTwoPixels(String video) {
        List<List<Face>> frames = analyse(video);
        List<List<TrackedFace>> raw = FaceTracksTest.track(frames, TrackSettings.OFF, null);
        List<List<TrackedFace>> smooth = FaceTracksTest.track(frames, TrackSettings.of(null), null);
        assertEquals(frames.size(), smooth.size());
        double rawAcceleration = 0;
        double smoothAcceleration = 0;
        long triples = 0;
        double deviation = 0;
        long points = 0;
        for (int t = 0; t < frames.size(); t++) {
            // every detection comes out first, in detection order, with and without smoothing
            for (int i = 0; i < frames.get(t).size(); i++) {
                Face r = raw.get(t).get(i).face();
                Face s = smooth.get(t).get(i).face();
                assertEquals(frames.get(t).get(i), r, "smoothing off passes the detection through");
                for (int p : EYES_AND_MOUTH) {
                    deviation += distance(r.alignment().get(p), s.alignment().get(p));
                    points++;
                }
            }
            if (t == 0 || t + 1 >= frames.size()) {
                continue;
            }
            for (int i = 0; i < smooth.get(t).size(); i++) {
                TrackedFace centre = smooth.get(t).get(i);
                TrackedFace before = onTrack(smooth.get(t - 1), centre.track());
                TrackedFace after = onTrack(smooth.get(t + 1), centre.track());
                if (centre.interpolated() || before == null || after == null || before.interpolated() || after.interpolated()) {
                    continue;
                }
                for (int p : EYES_AND_MOUTH) {
                    rawAcceleration += acceleration(before.raw(), centre.raw(), after.raw(), p);
                    smoothAcceleration += acceleration(before.face(), centre.face(), after.face(), p);
                }
                triples++;
            }
        }
        assertTrue(triples > frames.size() / 2, "the clip's face is tracked through most of it: " + triples + " of " + frames.size());
        double ratio = smoothAcceleration / rawAcceleration;
        double meanDeviation = deviation / points;
        LOG.log(Level.INFO, String.format(java.util.Locale.ROOT, "%s: %d frames, acceleration %.3f -> %.3f px/frame^2 (%.0f%% lower), "
                + "smoothed points %.2f px from the raw ones on average", video, frames.size(), rawAcceleration / triples / 4,
                smoothAcceleration / triples / 4, 100 * (1 - ratio), meanDeviation));
        assertTrue(ratio <= 0.5, video + ": acceleration only " + Math.round(100 * (1 - ratio)) + "% lower with smoothing");
        assertTrue(meanDeviation <= 2.0, video + ": smoothed points are " + meanDeviation + " px from the raw ones on average");
    }

    private static TrackedFace onTrack(List<TrackedFace> faces, long track) {
        return faces.stream().filter(f -> f.track() == track).findFirst().orElse(null);
    }

    private static double acceleration(Face before, Face centre, Face after, int point) {
        Point a = before.alignment().get(point);
        Point b = centre.alignment().get(point);
        Point c = after.alignment().get(point);
        return Math.hypot(a.x() - 2 * b.x() + c.x(), a.y() - 2 * b.y() + c.y());
    }

    private static double distance(Point a, Point b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }
}
