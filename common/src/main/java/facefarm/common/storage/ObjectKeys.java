package facefarm.common.storage;

/** Where a job's objects live in the bucket. Chunk outputs are attempt-scoped so a stale attempt never overwrites. */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /** Everything of one tenant lives under its prefix, so a bucket policy or lifecycle rule can be set per tenant. */
    public static String tenantPrefix(String tenant) {
        return "tenants/" + tenant + "/";
    }

    /** The tenant's folder for uploads, the only keys a submitter may refer a job to. */
    public static String uploadsPrefix(String tenant) {
        return tenantPrefix(tenant) + "uploads/";
    }

    /** Where a presigned upload lands before a job refers to it by key. */
    public static String upload(String tenant, String uploadId, String fileName) {
        return uploadsPrefix(tenant) + uploadId + "/" + safe(fileName);
    }

    /** Keys a studio may refer a job to: its uploads, or any farm object outside the jobs' own folders. */
    public static String keyProblem(String key) {
        String plain = plainKeyProblem(key);
        if (plain != null) {
            return plain;
        }
        if (jobFolderOf(key) != null) {
            return "object key '" + key + "' is inside the farm's own job folders: refer to an upload (tenants/<tenant>/uploads/...) or another object";
        }
        return null;
    }

    /** Keys a job's work may touch: its own folder, its uploads, or objects outside every job's folder. */
    public static String jobKeyProblem(String jobId, String key) {
        String plain = plainKeyProblem(key);
        if (plain != null) {
            return plain;
        }
        String folder = jobFolderOf(key);
        if (folder != null && !folder.equals(jobId)) {
            return "object key '" + key + "' is in another job's folder";
        }
        return null;
    }

    /** Keys a tenant's own reads may name: anything under its prefix (its uploads, its jobs' outputs). */
    public static String tenantKeyProblem(String tenant, String key) {
        String plain = plainKeyProblem(key);
        if (plain != null) {
            return plain;
        }
        if (!key.startsWith(tenantPrefix(tenant))) {
            return "object key '" + key + "' is not one of tenant " + tenant + "'s (" + tenantPrefix(tenant) + "...): upload the file first";
        }
        return null;
    }

    /** The job id whose folder ({@code .../jobs/<id>/...}) holds the key, or null when it is in none. */
    static String jobFolderOf(String key) {
        String[] segments = key.split("/");
        for (int i = 0; i + 2 < segments.length; i++) {
            if (segments[i].equals("jobs") && (i == 0 || i == 2 && segments[0].equals("tenants"))) {
                return segments[i + 1];
            }
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

    /** Keeps a user's file name readable in the key while ruling out path tricks. */
    static String safe(String fileName) {
        String base = fileName == null || fileName.isBlank() ? "file" : fileName;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '.') ? "file" : cleaned;
    }
}
