package facefarm.common.provenance;

/**
 * POST /api/v1/provenance/checks: the stored file to read (an upload's key, or a job's output key), its C2PA sidecar's
 * key when it has one apart (null otherwise), and how many of its first frames to read for the watermark (null: 48).
 */
public record ProvenanceCheckRequest(String key, String sidecarKey, Integer frames) {
}
