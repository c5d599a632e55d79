package facefarm.common.jobs;

/**
 * One person of the target mapped to one source: the face at {@code referencePosition} (in the job's face selector
 * order) of frame {@code referenceFrame} is the person, and the job's source number {@code source} (from 0, in the
 * order the sources were given) goes onto every face of theirs. The farm fills in {@code referenceEmbedding} (the
 * person's unit-length identity) once at ingest, so every chunk matches the same person; a studio leaves it out.
 */
public record FaceMapping(Long referenceFrame, Integer referencePosition, int source, float[] referenceEmbedding) {
    /** More mappings than this is a list of extras, not of speaking parts: each costs every face a comparison. */
    public static final int MAX = 16;

    public FaceMapping {
        if (referenceFrame == null) {
            referenceFrame = 0L;
        }
        if (referencePosition == null) {
            referencePosition = 0;
        }
    }

    public FaceMapping(long referenceFrame, int referencePosition, int source) {
        this(referenceFrame, referencePosition, source, null);
    }

    /** This mapping with the person's identity, as ingest found it. */
    public FaceMapping withEmbedding(float[] embedding) {
        return new FaceMapping(referenceFrame, referencePosition, source, embedding);
    }

    /** How the CLI and the analysis report name it: frame:position=source. */
    public String label() {
        return referenceFrame + ":" + referencePosition + "=" + source;
    }
}
