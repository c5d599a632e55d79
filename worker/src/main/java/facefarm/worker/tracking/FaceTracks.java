package facefarm.worker.tracking;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceSelector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporal stage between analysis and the processors. Frames' faces are {@link #add added} in order; the faces of
 * frame t are {@link #resolve resolved} once the {@code future} frames after it are in: detections are linked into
 * tracks, gaps of up to {@code maxGap} frames are filled by interpolation, points are smoothed along each track, and in
 * reference mode the track's match is held with hysteresis.
 * <p>
 * The faces of frame t are a function of the frames in [t - past, t + future] alone (those of the video, near its
 * ends): the stage keeps exactly that window, links inside it afresh, and reads nothing else, so a chunk that decodes
 * that overlap resolves every frame it owns exactly as a one-pass render does. Only the track ids carry over from frame
 * to frame.
 */
public final class FaceTracks {
    private final TrackSettings settings;
    private final FaceSelector selector;
    /** Past frames kept: the overlap, and at least one so that track ids carry over even with smoothing off. */
    private final int past;
    private final int future;
    private final ArrayDeque<List<Face>> frames = new ArrayDeque<>();
    private long first = -1;
    private final Map<Long, long[]> ids = new HashMap<>();
    private long nextId;

    /**
     * @param selector its reference face and distance decide reference matches; null when the job does not select by
     *                 reference
     */
    public FaceTracks(TrackSettings settings, FaceSelector selector) {
        this.settings = settings;
        this.selector = selector;
        this.past = Math.max(1, settings.overlap().past());
        this.future = settings.overlap().future();
    }

    /** Adds the next frame's faces; frames come in order, with no index skipped. */
    public void add(long index, List<Face> faces) {
        if (first >= 0 && index != last() + 1) {
            throw new IllegalArgumentException("frame " + index + " added after frame " + last() + "; frames must come in order");
        }
        if (first < 0) {
            first = index;
        }
        frames.addLast(List.copyOf(faces));
    }

    private long last() {
        return first + frames.size() - 1;
    }

    /** Whether frame {@code index} can be resolved: the frames after it that it reads are in, or no more will come. */
    public boolean ready(long index, boolean inputEnded) {
        return first >= 0 && index <= last() && (inputEnded || last() >= index + future);
    }

    /** The faces of frame {@code index}: detected ones first, in detection order, then filled gaps. Call in frame order. */
    public List<TrackedFace> resolve(long index) {
        if (first < 0 || index < first || index > last()) {
            throw new IllegalArgumentException("frame " + index + " is not in the tracked window");
        }
        while (first < index - past) {
            frames.removeFirst();
            ids.remove(first);
            first++;
        }
        long end = Math.min(last(), index + future);
        List<List<Face>> window = new ArrayList<>(frames).subList(0, (int) (end - first + 1));
        TrackLinker.Links links = TrackLinker.link(window, settings.linkReach());
        int centre = (int) (index - first);
        List<TrackedFace> out = new ArrayList<>();
        long[] frameIds = new long[window.get(centre).size()];
        for (int i = 0; i < frameIds.length; i++) {
            TrackLinker.Ref ref = new TrackLinker.Ref(centre, i);
            TrackLinker.Ref previous = links.previous(ref);
            frameIds[i] = previous == null ? nextId++ : idOf(previous);
            out.add(tracked(window, links, ref, centre, frameIds[i], false));
        }
        ids.put(index, frameIds);
        for (int f = Math.max(0, centre - settings.linkReach() + 1); f < centre; f++) {
            for (int i = 0; i < window.get(f).size(); i++) {
                TrackLinker.Ref from = new TrackLinker.Ref(f, i);
                TrackLinker.Ref to = links.next(from);
                if (to != null && to.frame() > centre) {
                    out.add(tracked(window, links, from, centre, idOf(from), true));
                }
            }
        }
        return out;
    }

    private long idOf(TrackLinker.Ref ref) {
        long[] known = ids.get(first + ref.frame());
        return known != null ? known[ref.face()] : nextId++;
    }

    /** The face at frame {@code centre} of the track through {@code anchor}. */
    private TrackedFace tracked(List<List<Face>> window, TrackLinker.Links links, TrackLinker.Ref anchor, int centre, long id, boolean gap) {
        List<TrackLinker.Ref> chain = new ArrayList<>();
        for (TrackLinker.Ref r = anchor; r != null; r = links.previous(r)) {
            chain.add(0, r);
        }
        for (TrackLinker.Ref r = links.next(anchor); r != null; r = links.next(r)) {
            chain.add(r);
        }
        int start = chain.get(0).frame();
        int stop = chain.get(chain.size() - 1).frame();
        Face[] samples = new Face[stop - start + 1];
        boolean[] detected = new boolean[samples.length];
        for (int c = 0; c < chain.size(); c++) {
            TrackLinker.Ref r = chain.get(c);
            Face face = window.get(r.frame()).get(r.face());
            samples[r.frame() - start] = face;
            detected[r.frame() - start] = true;
            if (c > 0) {
                TrackLinker.Ref before = chain.get(c - 1);
                Face from = window.get(before.frame()).get(before.face());
                double span = r.frame() - before.frame();
                for (int f = before.frame() + 1; f < r.frame(); f++) {
                    samples[f - start] = TrackSmoothing.interpolate(from, face, (f - before.frame()) / span);
                }
            }
        }
        int at = centre - start;
        Face raw = samples[at];
        Face smoothed = raw;
        if (settings.on()) {
            int r = Math.min(settings.radius(), Math.min(at, samples.length - 1 - at));
            smoothed = TrackSmoothing.average(List.of(samples).subList(at - r, at + r + 1), TrackSmoothing.weights(settings.radius(), r), raw);
            if (smoothed.mesh() != null) {
                // the same stretch the hysteresis and smoothing read: exact across chunk seams
                double open = TrackSmoothing.openEyes(samples, at - settings.hysteresisFrames(), at + settings.radius());
                smoothed = smoothed.withMesh(smoothed.mesh().withOpenEyes(open));
            }
        }
        int mapping = -1;
        if (selector != null) {
            int reach = Math.min(at, settings.hysteresisFrames());
            double[] distances = new double[reach + 1];
            double best = Double.MAX_VALUE;
            for (int m = 0; m < selector.identities(); m++) {
                for (int k = 0; k <= reach; k++) {
                    distances[k] = detected[at - k] ? selector.identityDistance(samples[at - k], m) : Double.NaN;
                }
                // a track near two people goes to the closer one, judged over the same frames as the hysteresis
                double mean = java.util.Arrays.stream(distances).filter(d -> !Double.isNaN(d)).average().orElse(Double.MAX_VALUE);
                if (ReferenceHysteresis.matches(distances, selector.referenceThreshold()) && mean < best) {
                    best = mean;
                    mapping = m;
                }
            }
        }
        return new TrackedFace(id, smoothed, raw, gap, mapping >= 0, mapping);
    }
}
