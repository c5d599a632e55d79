package facefarm.common.storage;

/**
 * Where one job's objects live: under its tenant's prefix, {@code tenants/<tenant>/jobs/<job>/}. Chunk and stitch
 * outputs are attempt-scoped, so a stale attempt never overwrites the current one.
 */
public record JobFolder(String tenant, String jobId) {
    public String prefix() {
        return ObjectKeys.tenantPrefix(tenant) + "jobs/" + jobId + "/";
    }

    public String target(String fileName) {
        return prefix() + "input/target/" + ObjectKeys.safe(fileName);
    }

    public String source(int index, String fileName) {
        return prefix() + "input/sources/" + index + "-" + ObjectKeys.safe(fileName);
    }

    /** The copy of a source's consent document the farm keeps with the job (not swept with its inputs). */
    public String consent(int sourceIndex, String fileName) {
        return prefix() + "consent/" + sourceIndex + "-" + ObjectKeys.safe(fileName);
    }

    public String audio(String fileName) {
        return prefix() + "input/audio/" + ObjectKeys.safe(fileName);
    }

    /** The target's audio, copied out of it by the prepare task, so the stitch never reads the target again. */
    public String audioTrack(String extension) {
        return prefix() + "input/audio-track." + extension;
    }

    public String chunks() {
        return prefix() + "chunks/";
    }

    public String chunk(int chunkIndex, String attemptId, String extension) {
        return chunks() + chunkIndex + "/" + attemptId + "." + extension;
    }

    /** One chunk attempt's own worker log lines, kept with the job's inputs (farm.retention.inputs). */
    public String attemptLog(int chunkIndex, String attemptId) {
        return logs() + "chunks/" + chunkIndex + "/" + attemptId + ".log";
    }

    /** A small JPEG of the chunk attempt's last frame, for the dashboard (kept like its log). */
    public String attemptPreview(int chunkIndex, String attemptId) {
        return logs() + "chunks/" + chunkIndex + "/" + attemptId + ".jpg";
    }

    public String logs() {
        return prefix() + "logs/";
    }

    public String output(String attemptId, String extension) {
        return prefix() + "output/" + attemptId + "/result." + extension;
    }

    /**
     * The key of the C2PA sidecar beside an output whose format cannot carry Content Credentials inside (the output's
     * key with the extension {@code .c2pa}, as the C2PA specification names sidecars).
     */
    public static String credentialsSidecar(String outputKey) {
        return facefarm.common.provenance.ProvenanceCheckRequest.sidecarName(outputKey);
    }
}
