package facefarm.common.uploads;

import java.time.Instant;
import java.util.List;

/**
 * A presigned multipart upload: PUT bytes [offset, offset + size) of the file to each part's URL (any order, in
 * parallel, again after a failure), then complete it. {@code key} is what a job refers to the file by.
 */
public record UploadPlan(String uploadId, String key, long partSize, List<Part> parts, Instant expiresAt) {
    public record Part(int number, long offset, long size, String url) {
    }

    public UploadPlan {
        parts = List.copyOf(parts);
    }
}
