package facefarm.worker.tracking;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceRecognizer;
import java.util.List;

/**
 * Links the detections of a run of frames into tracks. A detection's successor is its best match (highest box overlap,
 * of the same identity when both have embeddings) in the nearest later frame, at most {@code reach} frames on, that
 * holds a match; its predecessor likewise looking back. Two detections are linked when each is the other's choice.
 * Every link is decided from the {@code reach} frames on either side alone, with no memory of earlier frames, so the
 * same frames give the same links wherever a chunk starts.
 */
public final class TrackLinker {
    /** Boxes of one face in nearby frames overlap well above this; those of two faces side by side do not. */
    static final float MIN_IOU = 0.3f;
    /** FaceFusion's distance between two people exceeds this (cosine 0.2 and below); one person's frames stay well within. */
    static final float MAX_IDENTITY_DISTANCE = 0.4f;

    /** A detection: frame {@code frame} of the run (0 = its first), face {@code face} of that frame. */
    public record Ref(int frame, int face) {
    }

    /** Each detection's predecessor and successor in its track; null where the track starts or ends. */
    public record Links(Ref[][] previous, Ref[][] next) {
        public Ref previous(Ref ref) {
            return previous[ref.frame()][ref.face()];
        }

        public Ref next(Ref ref) {
            return next[ref.frame()][ref.face()];
        }
    }

    private TrackLinker() {
    }

    public static Links link(List<List<Face>> frames, int reach) {
        int n = frames.size();
        Ref[][] previous = new Ref[n][];
        Ref[][] next = new Ref[n][];
        for (int f = 0; f < n; f++) {
            previous[f] = new Ref[frames.get(f).size()];
            next[f] = new Ref[frames.get(f).size()];
        }
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < frames.get(f).size(); i++) {
                Ref from = new Ref(f, i);
                Ref to = best(frames, from, reach, 1);
                if (to != null && from.equals(best(frames, to, reach, -1))) {
                    next[f][i] = to;
                    previous[to.frame()][to.face()] = from;
                }
            }
        }
        return new Links(previous, next);
    }

    /** The best match of {@code ref} in the nearest frame in {@code direction} (+1 later, -1 earlier) that has one. */
    static Ref best(List<List<Face>> frames, Ref ref, int reach, int direction) {
        Face face = frames.get(ref.frame()).get(ref.face());
        for (int k = 1; k <= reach; k++) {
            int f = ref.frame() + direction * k;
            if (f < 0 || f >= frames.size()) {
                return null;
            }
            List<Face> candidates = frames.get(f);
            int best = -1;
            float bestIou = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Face other = candidates.get(i);
                float iou = face.box().iou(other.box());
                if (iou >= MIN_IOU && iou > bestIou && sameIdentity(face, other)) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                return new Ref(f, best);
            }
        }
        return null;
    }

    static boolean sameIdentity(Face a, Face b) {
        return a.embeddingNorm() == null || b.embeddingNorm() == null
                || FaceRecognizer.distance(a.embeddingNorm(), b.embeddingNorm()) <= MAX_IDENTITY_DISTANCE;
    }
}
