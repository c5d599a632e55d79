package facefarm.worker.tracking;

import facefarm.worker.analysis.Face;

/**
 * A face of a frame as its track sees it.
 *
 * @param track            the track's id, counted from 0 in the order tracks appear in one run (a chunk counts its own)
 * @param face             the face the processors get: smoothed over the track when smoothing is on, else {@code raw}
 * @param raw              the detection itself, or for a filled gap the face interpolated between the detections around it
 * @param interpolated     whether detection missed this frame and the gap was filled
 * @param matchesReference whether the track matches the reference face, or a mapped person (with hysteresis)
 * @param mapping          the identity the track matches ({@code FaceSelector.identities}: with a face map, the mapped
 *                         person; in reference mode, 0), or -1 for none
 */
public record TrackedFace(long track, Face face, Face raw, boolean interpolated, boolean matchesReference, int mapping) {
    public TrackedFace(long track, Face face, Face raw, boolean interpolated, boolean matchesReference) {
        this(track, face, raw, interpolated, matchesReference, -1);
    }
}
