package facefarm.common.uploads;

/** Asks for a presigned multipart upload of a file of {@code size} bytes called {@code name}. */
public record UploadRequest(String name, long size) {
    /** S3's limit for one object. */
    public static final long MAX_SIZE = 5L * 1024 * 1024 * 1024 * 1024;
    /** S3's limits for the parts of a multipart upload. */
    public static final long MIN_PART = 5L * 1024 * 1024;
    public static final int MAX_PARTS = 10_000;

    /** Why the request cannot be served; null when it can. */
    public String problem() {
        if (name == null || name.isBlank()) {
            return "name (the file's name) is required";
        }
        if (name.length() > 255) {
            return "name must be at most 255 characters";
        }
        if (size <= 0 || size > MAX_SIZE) {
            return "size must be the file's size in bytes, from 1 to " + MAX_SIZE + " (5 TiB), got " + size;
        }
        return null;
    }

    /** The part size to use: at least {@code preferred}, and large enough that the file needs at most 10,000 parts. */
    public long partSize(long preferred) {
        long least = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(Math.max(MIN_PART, preferred), least);
    }
}
