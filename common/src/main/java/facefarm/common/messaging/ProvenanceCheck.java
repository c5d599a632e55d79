package facefarm.common.messaging;

import facefarm.common.storage.ObjectKeys;
import java.util.Objects;

/**
 * Read a stored file's provenance on a worker: its watermark from its first {@code frames} frames, and its Content
 * Credentials (inside it, or in the sidecar at {@code sidecarKey}, which may be null). The keys are the tenant's.
 */
public record ProvenanceCheck(String checkId, String tenant, String key, String sidecarKey, int frames) {
    /** The most frames a check reads: the reader needs a few dozen; a file's length is not a reason to decode more. */
    public static final int MAX_FRAMES = 600;

    public ProvenanceCheck {
        Objects.requireNonNull(checkId, "checkId");
        facefarm.common.access.Tenants.require(tenant);
        WorkRefs.requireUuid("checkId", checkId);
        for (String k : sidecarKey == null ? new String[] {key} : new String[] {key, sidecarKey}) {
            String problem = ObjectKeys.tenantKeyProblem(tenant, k);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("a provenance check reads 1 to " + MAX_FRAMES + " frames, not " + frames);
        }
    }
}
