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

    /** The target's audio, copied out of it by the prepare task, so the stitch never reads the target again. */
    public static String audioTrack(String jobId, String extension) {
        return jobPrefix(jobId) + "input/audio-track." + extension;
    }

    public static String chunk(String jobId, int chunkIndex, String attemptId, String extension) {
        return jobPrefix(jobId) + "chunks/" + chunkIndex + "/" + attemptId + "." + extension;
    }

    /** A stitch attempt's output: attempt-scoped like chunks, so a stale stitch never overwrites the current one. */
    public static String output(String jobId, String attemptId, String extension) {
        return jobPrefix(jobId) + "output/" + attemptId + "/result." + extension;
    }

    /** Where a presigned upload lands before a job refers to it by key. */
    public static String upload(String uploadId, String fileName) {
        return "uploads/" + uploadId + "/" + safe(fileName);
    }

    /** Keys a studio may refer a job to: its uploads, or any farm object outside the jobs' own folders. */
    public static String keyProblem(String key) {
        String plain = plainKeyProblem(key);
        if (plain != null) {
            return plain;
        }
        if (key.startsWith("jobs/")) {
            return "object key '" + key + "' is inside the farm's own job folders: refer to an upload (uploads/...) or another object";
        }
        return null;
    }

    /** Keys a job's work may touch: its own folder, its uploads, or objects outside every job's folder. */
    public static String jobKeyProblem(String jobId, String key) {
        String plain = plainKeyProblem(key);
        if (plain != null) {
            return plain;
        }
        if (key.startsWith("jobs/") && !key.startsWith(jobPrefix(jobId))) {
            return "object key '" + key + "' is in another job's folder";
        }
        return null;
    }

    private static String plainKeyProblem(String key) {
        if (key == null || key.isBlank()) {
            return "an object key is empty";
        }
        if (key.length() > 1024 || key.startsWith("/") || key.contains("//") || key.contains("\\") || key.chars().anyMatch(c -> c < 0x20)) {
            return "object key '" + key.replaceAll("\\p{Cntrl}", "?") + "' is not a plain S3 key (no leading or double slash, no control characters, at most 1024 characters)";
        }
        for (String segment : key.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return "object key '" + key + "' must not contain '.' or '..' segments";
            }
        }
        return null;
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
