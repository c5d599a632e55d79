package facefarm.common.jobs;

/**
 * One person of the target mapped to one source. The person is the face at {@code referencePosition} (in the job's
 * face selector order) of frame {@code referenceFrame}, or the largest face of {@code referenceImage}, a photo of
 * them in the farm's bucket (uploaded like any input). The job's source number {@code source} (from 0, in the order
 * the sources were given) goes onto every face of theirs. The farm fills in {@code referenceEmbedding} (the person's
 * unit-length identity) once at ingest, so every chunk matches the same person; a studio leaves it out.
 */
public record FaceMapping(Long referenceFrame, Integer referencePosition, InputFile referenceImage, int source, float[] referenceEmbedding) {
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

    /** The person at a position of a frame of the target. */
    public FaceMapping(long referenceFrame, int referencePosition, int source) {
        this(referenceFrame, referencePosition, null, source, null);
    }

    /** The person in a reference photo. */
    public FaceMapping(InputFile referenceImage, int source) {
        this(null, null, referenceImage, source, null);
    }

    /** This mapping with the person's identity, as ingest found it. */
    public FaceMapping withEmbedding(float[] embedding) {
        return new FaceMapping(referenceFrame, referencePosition, referenceImage, source, embedding);
    }

    /** How the CLI and the messages name it: frame:position=source, or photo=source. */
    public String label() {
        return (referenceImage != null ? referenceImage.name() : referenceFrame + ":" + referencePosition) + "=" + source;
    }
}
