package facefarm.common.provenance;

/**
 * POST /api/v1/provenance/checks: the stored file to read (an upload's key, or a job's output key), its C2PA sidecar's
 * key when it has one apart (null otherwise), and how many of its first frames to read for the watermark (null:
 * {@link #DEFAULT_FRAMES}).
 */
public record ProvenanceCheckRequest(String key, String sidecarKey, Integer frames) {
    /** The frames a watermark is read from when no one says: two seconds at 24 fps, enough for every copy of the word. */
    public static final int DEFAULT_FRAMES = 48;

    /**
     * Where the C2PA sidecar of a file or an object key is, as the C2PA specification names sidecars: the same name with
     * the extension {@code .c2pa} (out.mkv -> out.c2pa; a name without an extension gets one).
     */
    public static String sidecarName(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return (dot > slash + 1 ? name.substring(0, dot) : name) + ".c2pa";
    }
}
