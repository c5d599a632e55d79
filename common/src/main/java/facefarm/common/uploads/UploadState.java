package facefarm.common.uploads;

import java.util.List;

/** The parts of an unfinished upload that have arrived (number, ETag, size), so a client resumes with the rest. */
public record UploadState(String uploadId, String key, List<Part> parts) {
    public record Part(int number, String etag, long size) {
    }

    public UploadState {
        parts = List.copyOf(parts == null ? List.of() : parts);
    }
}
