package facefarm.common.jobs;

import java.util.Objects;

/** A job's input in the farm's bucket: its object key, and the name the studio knows it by (for messages). */
public record InputFile(String key, String name) {
    public InputFile {
        Objects.requireNonNull(key, "key");
        if (name == null || name.isBlank()) {
            name = key.substring(key.lastIndexOf('/') + 1);
        }
    }
}
