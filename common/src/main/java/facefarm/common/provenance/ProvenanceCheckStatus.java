package facefarm.common.provenance;

import java.time.Instant;

/**
 * A check of a stored file's provenance (POST /api/v1/provenance/checks), run on a worker since reading a file is
 * media work: QUEUED until a worker reports, then DONE with its {@code report} (and, when the watermark names this
 * farm, the jobs the caller may see it points to), or FAILED with {@code error} saying what to do.
 */
public record ProvenanceCheckStatus(String id, State state, String key, Instant createdAt, ProvenanceReport report, WatermarkOrigin origin,
                                    String error) {
    public enum State { QUEUED, DONE, FAILED }
}
