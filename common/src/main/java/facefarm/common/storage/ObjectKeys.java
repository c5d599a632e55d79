package facefarm.common.storage;

/** Where a job's objects live in the bucket. Chunk outputs are attempt-scoped so a stale attempt never overwrites. */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    public static String jobPrefix(String jobId) {
        return "jobs/" + jobId + "/";
    }

    public static String target(String jobId, String fileName) {
        return jobPrefix(jobId) + "input/target/" + safe(fileName);
    }

    public static String source(String jobId, int index, String fileName) {
        return jobPrefix(jobId) + "input/sources/" + index + "-" + safe(fileName);
    }

    public static String audio(String jobId, String fileName) {
        return jobPrefix(jobId) + "input/audio/" + safe(fileName);
    }

    public static String chunk(String jobId, int chunkIndex, String attemptId, String extension) {
        return jobPrefix(jobId) + "chunks/" + chunkIndex + "/" + attemptId + "." + extension;
    }

    public static String output(String jobId, String extension) {
        return jobPrefix(jobId) + "output/result." + extension;
    }

    public static String manifest(String jobId) {
        return jobPrefix(jobId) + "manifest.json";
    }

    /** Keeps a user's file name readable in the key while ruling out path tricks. */
    static String safe(String fileName) {
        String base = fileName == null || fileName.isBlank() ? "file" : fileName;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '.') ? "file" : cleaned;
    }
}
