package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.RenderRecord;
import facefarm.storage.ObjectStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.nio.file.Path;

/**
 * Signs a delivered MP4 in S3: reads it once as it streams back (the BMFF hash), then writes the output as the file
 * followed by its C2PA box, on the server where S3 allows. The worker's disk never holds the video.
 */
public final class OutputSigner {
    private static final System.Logger LOG = System.getLogger(OutputSigner.class.getName());

    private final ObjectStore store;
    private final SigningCredentials signer;
    private final ContentCredentials credentials;

    public OutputSigner(ObjectStore store, SigningCredentials signer) {
        this.store = store;
        this.signer = signer;
        String version = OutputSigner.class.getPackage().getImplementationVersion();
        this.credentials = new ContentCredentials("facefarm", version == null ? "dev" : version);
    }

    /**
     * The worker's signing credentials: the operator's (FARM_C2PA_KEY and FARM_C2PA_CHAIN, PEM files), else local
     * ones made in {@code workDir}/c2pa, which nobody else trusts.
     */
    public static SigningCredentials credentials(Map<String, String> env, Path workDir) {
        String key = env.get("FARM_C2PA_KEY");
        String chain = env.get("FARM_C2PA_CHAIN");
        if (key != null && !key.isBlank() && chain != null && !chain.isBlank()) {
            return SigningCredentials.load(Path.of(key), Path.of(chain));
        }
        if (key != null && !key.isBlank() || chain != null && !chain.isBlank()) {
            throw new IllegalArgumentException("FARM_C2PA_KEY and FARM_C2PA_CHAIN go together: set both (PEM files), or neither for local credentials");
        }
        Path dir = workDir.resolve("c2pa");
        LOG.log(System.Logger.Level.WARNING, "C2PA credentials are signed with a local key in {0}, which no reader trusts: set FARM_C2PA_KEY and "
                + "FARM_C2PA_CHAIN to the farm''s own", dir);
        return SigningCredentials.local(dir, "facefarm");
    }

    public boolean local() {
        return signer.local();
    }

    /** Writes {@code outputKey} as the MP4 at {@code unsignedKey} with its Content Credentials, and deletes the unsigned one; returns its size. */
    public long sign(String unsignedKey, String outputKey, RenderRecord record) throws IOException {
        byte[] box;
        try (InputStream in = new BufferedInputStream(store.open(unsignedKey), 1 << 16)) {
            box = Mp4Credentials.box(in, credentials, record, signer);
        }
        store.concat(unsignedKey, box, outputKey);
        store.delete(unsignedKey);
        return store.size(outputKey);
    }
}
