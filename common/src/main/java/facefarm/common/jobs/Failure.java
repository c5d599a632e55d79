package facefarm.common.jobs;

import java.util.Objects;

/**
 * Why a job failed: the check that refused it ({@code check}: options, target, audio, sources, reference, models,
 * licence, chunks, stitch), an HTTP-like {@code status} (4xx: the input or the options, fixable by the studio; 5xx:
 * the farm) and a message that says what to do.
 */
public record Failure(String check, int status, String message) {
    public static final String OPTIONS = "options";
    public static final String TARGET = "target";
    public static final String AUDIO = "audio";
    public static final String SOURCES = "sources";
    public static final String REFERENCE = "reference";
    public static final String MODELS = "models";
    public static final String LICENCE = "licence";
    public static final String CHUNKS = "chunks";
    public static final String STITCH = "stitch";

    public Failure {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(message, "message");
    }

    /** Whether the studio can fix it (bad input or options), rather than the farm. */
    public boolean isInputError() {
        return status >= 400 && status < 500;
    }
}
