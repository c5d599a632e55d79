package facefarm.worker.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.FaceMapping;
import facefarm.common.planning.Overlap;
import facefarm.worker.analysis.Box;
import facefarm.worker.analysis.DenseMesh;
import facefarm.worker.analysis.EyeOpening;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.analysis.Point;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tracks as pure logic: linking, gap filling, smoothing, hysteresis and the finite window that makes seams invisible. */
class FaceTracksTest {

    /** A face whose box has its top-left corner at (x, y), 100 px wide, with 5 points inside it. */
    static Face face(double x, double y) {
        float fx = (float) x;
        float fy = (float) y;
        return Face.detected(new Box(fx, fy, fx + 100, fy + 100), 0.9f, List.of(new Point(fx + 30, fy + 40), new Point(fx + 70, fy + 40),
                new Point(fx + 50, fy + 60), new Point(fx + 35, fy + 80), new Point(fx + 65, fy + 80)));
    }

    static Face withIdentity(Face face, float... embedding) {
        return face.withEmbedding(embedding, embedding);
    }

    /** Every frame resolved in one pass, as the pipeline does. */
    static List<List<TrackedFace>> track(List<List<Face>> frames, TrackSettings settings, FaceSelector selector) {
        return trackRange(frames, 0, frames.size(), 0, frames.size(), settings, selector);
    }

    /** Frames [from, to) given to a fresh stage (a chunk's decoded range); those in [keepFrom, keepTo) resolved and returned. */
    static List<List<TrackedFace>> trackRange(List<List<Face>> frames, int from, int to, int keepFrom, int keepTo, TrackSettings settings,
                                              FaceSelector selector) {
        FaceTracks tracks = new FaceTracks(settings, selector);
        List<List<TrackedFace>> out = new ArrayList<>();
        int next = keepFrom;
        for (int i = from; i < to; i++) {
            tracks.add(i, frames.get(i));
            for (; next < keepTo && tracks.ready(next, false); next++) {
                out.add(tracks.resolve(next));
            }
        }
        for (; next < keepTo; next++) {
            assertTrue(tracks.ready(next, true));
            out.add(tracks.resolve(next));
        }
        return out;
    }

    @Test
    void overlapFollowsTheWindowAndIsNoneWhenOff() {
        assertEquals(Overlap.NONE, TrackSettings.OFF.overlap());
        assertEquals(new Overlap(6 + 4, 3 + 4), new TrackSettings(3).overlap(), "hysteresis 2N back, radius N ahead, plus a link reach each");
        assertEquals(new Overlap(2 + 2, 1 + 2), new TrackSettings(1).overlap());
    }

    @Test
    void twoFacesSideBySideKeepTheirTracksAndANewFaceStartsOne() {
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            List<Face> faces = new ArrayList<>(List.of(face(10 + 3 * t, 50), face(400 - 3 * t, 60)));
            if (t >= 6) {
                faces.add(face(700, 300));
            }
            // detection order changes from frame to frame; tracks must not
            if (t % 2 == 1) {
                Collections.reverse(faces);
            }
            frames.add(faces);
        }
        List<List<TrackedFace>> out = track(frames, new TrackSettings(2), null);
        long left = trackAt(out.get(0), 10 + 15);
        long right = trackAt(out.get(0), 400 + 15);
        assertNotEquals(left, right);
        for (int t = 0; t < 10; t++) {
            assertEquals(left, trackAt(out.get(t), 10 + 3 * t + 15), "frame " + t);
            assertEquals(right, trackAt(out.get(t), 400 - 3 * t + 15), "frame " + t);
        }
        long newcomer = trackAt(out.get(6), 700 + 15);
        assertTrue(newcomer != left && newcomer != right);
        assertEquals(newcomer, trackAt(out.get(9), 700 + 15));
    }

    /** The track of the face whose box starts within 15 px left of {@code x}. */
    private static long trackAt(List<TrackedFace> faces, double x) {
        return faces.stream().filter(f -> Math.abs(f.raw().box().x1() + 15 - x) < 15).findFirst().orElseThrow().track();
    }

    @Test
    void twoPeopleWhoseBoxesOverlapAreToldApartByIdentity() {
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            // A stays at x=100; B stands where A was in the frame before, so box overlap alone could swap them
            Face a = withIdentity(face(100 + 10 * t, 100), 1, 0);
            Face b = withIdentity(face(100 + 10 * t - 12, 100), 0, 1);
            frames.add(t == 3 ? List.of(b) : List.of(a, b));
        }
        List<List<TrackedFace>> out = track(frames, new TrackSettings(2), null);
        long a = out.get(0).get(0).track();
        long b = out.get(0).get(1).track();
        for (int t = 0; t < 6; t++) {
            for (TrackedFace f : out.get(t)) {
                assertEquals(f.raw().embeddingNorm()[0] == 1 ? a : b, f.track(), "frame " + t);
            }
        }
        TrackedFace filled = out.get(3).stream().filter(TrackedFace::interpolated).findFirst().orElseThrow();
        assertEquals(a, filled.track(), "A's missed frame is filled on A's track, not taken by B");
    }

    @Test
    void aShortGapIsFilledByInterpolationAndALongOneIsNot() {
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            boolean missed = (t >= 8 && t < 11) || (t >= 18 && t < 22);
            frames.add(missed ? List.of() : List.of(face(100 + 4 * t, 100)));
        }
        List<List<TrackedFace>> out = track(frames, new TrackSettings(3), null);
        for (int t = 8; t < 11; t++) {
            assertEquals(1, out.get(t).size(), "a 3-frame gap is within the window of 3: frame " + t + " gets a face");
            TrackedFace filled = out.get(t).get(0);
            assertTrue(filled.interpolated());
            assertEquals(100 + 4 * t, filled.raw().box().x1(), 1e-3, "linear between the detections around the gap");
            assertEquals(out.get(7).get(0).track(), filled.track());
        }
        assertEquals(out.get(7).get(0).track(), out.get(11).get(0).track(), "the track goes on after the gap");
        for (int t = 18; t < 22; t++) {
            assertTrue(out.get(t).isEmpty(), "a 4-frame gap is longer than the window: frame " + t + " stays empty");
        }
        assertNotEquals(out.get(17).get(0).track(), out.get(22).get(0).track(), "a new track starts after a long gap");

        List<List<TrackedFace>> off = track(frames, TrackSettings.OFF, null);
        assertTrue(off.get(9).isEmpty(), "smoothing off fills nothing, as FaceFusion");
    }

    @Test
    void smoothingRemovesJitterButFollowsSteadyMotion() {
        Random random = new Random(5);
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            frames.add(List.of(face(100 + 2 * t + random.nextGaussian() * 2, 80 + random.nextGaussian() * 2)));
        }
        List<List<TrackedFace>> out = track(frames, new TrackSettings(3), null);
        double rawJitter = 0;
        double smoothJitter = 0;
        for (int t = 1; t < 59; t++) {
            rawJitter += Math.abs(x(out, t - 1, true) - 2 * x(out, t, true) + x(out, t + 1, true));
            smoothJitter += Math.abs(x(out, t - 1, false) - 2 * x(out, t, false) + x(out, t + 1, false));
        }
        assertTrue(smoothJitter < 0.3 * rawJitter, "jitter " + rawJitter + " -> " + smoothJitter);
        assertEquals(frames.get(0).get(0), out.get(0).get(0).face(), "a track's first frame has no frames before it to average");

        List<List<Face>> steady = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            steady.add(List.of(face(100 + 5 * t, 80)));
        }
        List<List<TrackedFace>> moving = track(steady, new TrackSettings(3), null);
        for (int t = 0; t < 20; t++) {
            assertEquals(100 + 5 * t, moving.get(t).get(0).face().box().x1(), 1e-3, "symmetric weights do not lag steady motion: frame " + t);
        }
    }

    private static double x(List<List<TrackedFace>> out, int t, boolean raw) {
        TrackedFace f = out.get(t).get(0);
        return (raw ? f.raw() : f.face()).alignment().get(0).x();
    }

    @Test
    void anyChunkingResolvesEveryFrameAsTheOnePassDoes() {
        Random random = new Random(11);
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 120; t++) {
            List<Face> faces = new ArrayList<>();
            if (random.nextDouble() > 0.15) {
                faces.add(withIdentity(face(100 + 3 * t + random.nextGaussian() * 3, 100 + random.nextGaussian() * 3), 1, 0));
            }
            if (t > 30 && random.nextDouble() > 0.3) {
                faces.add(withIdentity(face(600 - 2 * t + random.nextGaussian() * 3, 300), (float) Math.cos(t * 0.05), (float) Math.sin(t * 0.05)));
            }
            if (random.nextDouble() > 0.5) {
                Collections.shuffle(faces, random);
            }
            frames.add(faces);
        }
        float[] reference = {1, 0};
        FaceSelector selector = new FaceSelector(FaceSelector.Mode.REFERENCE, FaceSelector.Order.LARGE_SMALL, reference, 0.3f);
        for (TrackSettings settings : List.of(TrackSettings.OFF, new TrackSettings(1), new TrackSettings(3), new TrackSettings(7))) {
            List<List<TrackedFace>> whole = track(frames, settings, selector);
            Overlap overlap = settings.overlap();
            for (int chunk : new int[] {1, 7, 17, 50}) {
                for (int start = 0; start < frames.size(); start += chunk) {
                    int end = Math.min(frames.size(), start + chunk);
                    List<List<TrackedFace>> part = trackRange(frames, Math.max(0, start - overlap.past()), Math.min(frames.size(), end + overlap.future()),
                            start, end, settings, selector);
                    for (int t = start; t < end; t++) {
                        assertEquals(faces(whole.get(t)), faces(part.get(t - start)), "window " + settings.window() + ", chunks of " + chunk + ", frame " + t);
                        assertEquals(matches(whole.get(t)), matches(part.get(t - start)), "reference matches, frame " + t);
                    }
                }
            }
        }
    }

    @Test
    void aBlinkIsJudgedAgainstTheTracksOpenEyesAndTheLightIsSmoothedTheSameInEveryChunking() {
        // open eyes read 0.75-0.85 in the pixels; blinks of 1, 3 and 5 frames read 0.3; the light is noisy around 120
        Random random = new Random(5);
        List<Integer> blinks = List.of(20, 40, 41, 42, 70, 71, 72, 73, 74);
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            Face face = face(100 + t, 100);
            double reading = blinks.contains(t) ? 0.3 : 0.75 + 0.1 * random.nextDouble();
            float[] light = new float[15];
            for (int k = 0; k < light.length; k++) {
                light[k] = (float) (120 + 10 * random.nextGaussian());
            }
            frames.add(List.of(face.withMesh(DenseMesh.of(face.landmark5(), reading, light))));
        }
        TrackSettings settings = TrackSettings.of(null);
        List<List<TrackedFace>> whole = track(frames, settings, null);
        for (int t = 0; t < frames.size(); t++) {
            double relative = whole.get(t).get(0).face().mesh().relativeEyeOpening();
            if (blinks.contains(t)) {
                assertTrue(relative < 0.42, "frame " + t + " blinks: " + relative);
            } else {
                assertTrue(relative > 0.85 && relative <= 1, "frame " + t + " is open: " + relative);
            }
        }
        double rawNoise = 0;
        double smoothedNoise = 0;
        for (int t = 10; t < 90; t++) {
            rawNoise += Math.abs(frames.get(t).get(0).mesh().light()[0] - 120);
            smoothedNoise += Math.abs(whole.get(t).get(0).face().mesh().light()[0] - 120);
        }
        assertTrue(smoothedNoise < 0.6 * rawNoise, "the light is smoothed along the track: " + smoothedNoise + " against " + rawNoise);
        List<List<TrackedFace>> alone = track(frames, TrackSettings.OFF, null);
        assertEquals(0.3 / EyeOpening.TYPICAL_OPEN, alone.get(41).get(0).face().mesh().relativeEyeOpening(), 1e-9,
                "with no track, a frame is judged against a typical open reading");
        Overlap overlap = settings.overlap();
        for (int chunk : new int[] {1, 7, 17}) {
            for (int start = 0; start < frames.size(); start += chunk) {
                int end = Math.min(frames.size(), start + chunk);
                List<List<TrackedFace>> part = trackRange(frames, Math.max(0, start - overlap.past()), Math.min(frames.size(), end + overlap.future()),
                        start, end, settings, null);
                for (int t = start; t < end; t++) {
                    assertEquals(faces(whole.get(t)), faces(part.get(t - start)), "chunks of " + chunk + ", frame " + t);
                }
            }
        }
    }

    private static List<Face> faces(List<TrackedFace> tracked) {
        return tracked.stream().map(TrackedFace::face).toList();
    }

    private static List<Boolean> matches(List<TrackedFace> tracked) {
        return tracked.stream().map(TrackedFace::matchesReference).toList();
    }

    @Test
    void aTrackNearTheThresholdSwitchesOnceWithHysteresisAndManyTimesWithout() {
        // the identity distance falls from 0.5 to 0.1 over 60 frames, with jitter that crosses 0.3 back and forth
        int frames = 60;
        double[] distance = new double[frames];
        for (int t = 0; t < frames; t++) {
            distance[t] = 0.5 - 0.4 * t / (frames - 1) + (t % 2 == 0 ? 0.035 : -0.035);
        }
        int plain = 0;
        int held = 0;
        boolean plainState = false;
        boolean heldState = false;
        int window = 2 * TrackSettings.of(null).window();
        for (int t = 0; t < frames; t++) {
            boolean p = distance[t] < 0.3;
            double[] newestFirst = new double[Math.min(t, window) + 1];
            for (int k = 0; k < newestFirst.length; k++) {
                newestFirst[k] = distance[t - k];
            }
            boolean h = ReferenceHysteresis.matches(newestFirst, 0.3);
            plain += t > 0 && p != plainState ? 1 : 0;
            held += t > 0 && h != heldState ? 1 : 0;
            plainState = p;
            heldState = h;
        }
        assertTrue(plain > 3, "the sequence does cross the threshold back and forth: " + plain + " switches frame by frame");
        assertEquals(1, held, "with hysteresis the track switches once");
        assertTrue(heldState, "and ends matched");
    }

    @Test
    void referenceMatchesAreHeldAlongTheTrackAndFilledGapsFollowTheirTrack() {
        // a clear match, then the face's distance to the reference (1, 0) alternates just either side of 0.3
        List<List<Face>> frames = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            double angle = t < 10 ? 0.2 : Math.acos(1 - 2 * (t % 2 == 0 ? 0.27 : 0.31));
            frames.add(t == 25 ? List.of() : List.of(withIdentity(face(100 + t, 100), (float) Math.cos(angle), (float) Math.sin(angle))));
        }
        FaceSelector selector = new FaceSelector(FaceSelector.Mode.REFERENCE, FaceSelector.Order.LARGE_SMALL, new float[] {1, 0}, 0.3f);
        List<List<TrackedFace>> held = track(frames, new TrackSettings(3), selector);
        for (int t = 0; t < 40; t++) {
            assertTrue(held.get(t).get(0).matchesReference(), "frame " + t + " keeps its match");
        }
        assertTrue(held.get(25).get(0).interpolated());
        List<List<TrackedFace>> perFrame = track(frames, TrackSettings.OFF, selector);
        assertFalse(perFrame.get(11).get(0).matchesReference(), "frame by frame, distance 0.31 is no match");
        assertTrue(perFrame.get(12).get(0).matchesReference(), "and 0.27 is");
        assertEquals(List.of(), selector.select(perFrame.get(11), TrackedFace::face, TrackedFace::matchesReference));
    }

    @Test
    void eachTrackMatchesItsOwnMappedPersonTheSameInEveryChunking() {
        // three people side by side: identities (1, 0), (0, 1) and (-1, 0); the map names the first two
        List<List<Face>> frames = new ArrayList<>();
        Random random = new Random(5);
        for (int t = 0; t < 60; t++) {
            List<Face> faces = new ArrayList<>();
            double jitter = random.nextGaussian() * 0.05;
            faces.add(withIdentity(face(100, 100), (float) Math.cos(jitter), (float) Math.sin(jitter)));
            faces.add(withIdentity(face(400, 100), (float) Math.sin(jitter), (float) Math.cos(jitter)));
            faces.add(withIdentity(face(700, 100), -1, 0));
            Collections.shuffle(faces, random);
            frames.add(t == 30 ? faces.subList(0, 2) : faces);
        }
        List<FaceMapping> map = List.of(new FaceMapping(0, 0, 1).withEmbedding(new float[] {0, 1}), new FaceMapping(0, 1, 0).withEmbedding(new float[] {1, 0}));
        FaceSelector selector = new FaceSelector(FaceSelector.Mode.MANY, FaceSelector.Order.LEFT_RIGHT, null, 0.3f, map);
        TrackSettings settings = new TrackSettings(3);
        List<List<TrackedFace>> whole = track(frames, settings, selector);
        for (int t = 0; t < 60; t++) {
            for (TrackedFace f : whole.get(t)) {
                double x = f.raw().box().x1();
                int expected = x < 200 ? 1 : x < 500 ? 0 : -1;
                assertEquals(expected, f.mapping(), "frame " + t + ", face at x " + x);
                assertEquals(expected >= 0, f.matchesReference());
            }
        }
        Overlap overlap = settings.overlap();
        for (int start = 0; start < 60; start += 16) {
            int end = Math.min(60, start + 16);
            List<List<TrackedFace>> part = trackRange(frames, Math.max(0, start - overlap.past()), Math.min(60, end + overlap.future()), start, end,
                    settings, selector);
            for (int t = start; t < end; t++) {
                assertEquals(whole.get(t).stream().map(TrackedFace::mapping).toList(), part.get(t - start).stream().map(TrackedFace::mapping).toList(),
                        "chunks of 16, frame " + t);
            }
        }
    }
}
