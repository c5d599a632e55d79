package facefarm.common.jobs;

import java.util.List;
import java.util.Locale;

/**
 * What an attempt's error says went wrong, in a few words an operator can graph and alert on: a worker that went silent,
 * ran out of memory, could not read or write the object store, missed a model, was given media it cannot decode, or
 * anything else.
 */
public enum FailureCause {
    TIMEOUT("went silent", "no worker took", "timed out"),
    OUT_OF_MEMORY("out of memory"),
    STORAGE("s3", "object store", "bucket"),
    MODEL("model"),
    MEDIA("decode", "codec", "frames in", "ffmpeg", "demux"),
    OTHER;

    private final List<String> words;

    FailureCause(String... words) {
        this.words = List.of(words);
    }

    public static FailureCause of(String error) {
        String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
        for (FailureCause cause : values()) {
            if (cause.words.stream().anyMatch(text::contains)) {
                return cause;
            }
        }
        return OTHER;
    }

    /** As a metric's label value: "out_of_memory". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
