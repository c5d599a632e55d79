package facefarm.worker.media;

import java.util.Map;

/**
 * Media sources, a file path or a presigned URL: how they are named in messages (a URL without its signature) and
 * the FFmpeg options they are opened with.
 */
public final class Sources {
    /** A dropped connection to S3 is resumed at the same offset rather than failing the task. */
    private static final Map<String, String> HTTP = Map.of("reconnect", "1", "reconnect_on_network_error", "1", "rw_timeout", "60000000");

    private Sources() {
    }

    /** FFmpeg's options for opening {@code source}. */
    public static Map<String, String> options(String source) {
        return source.startsWith("http") ? HTTP : Map.of();
    }

    public static String describe(String source) {
        int query = source.indexOf('?');
        return query < 0 ? source : source.substring(0, query);
    }
}
