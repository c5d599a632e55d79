package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.RenderRecord;
import facefarm.storage.ObjectStore;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Signs a delivered MP4 in S3 in one pass: the unsigned file streams back through the worker, which hashes it (the
 * BMFF hash) while uploading it again, in parts, as the output; the last part ends with the C2PA box. The worker's
 * disk never holds the video, and its memory one part. (S3's server-side part copy would save the upload, but not
 * every S3 server takes it, and the hash needs the read anyway.)
 */
public final class OutputSigner {
    private static final System.Logger LOG = System.getLogger(OutputSigner.class.getName());
    /** 16 MiB, as the stitch's own upload. */
    public static final int PART = 16 << 20;

    private final ObjectStore store;
    private final SigningCredentials signer;
    private final ContentCredentials credentials;
    private final int partBytes;

    public OutputSigner(ObjectStore store, SigningCredentials signer) {
        this(store, signer, PART);
    }

    /** @param partBytes the size of each uploaded part but the last (S3 takes 5 MiB and up) */
    public OutputSigner(ObjectStore store, SigningCredentials signer, int partBytes) {
        this.store = store;
        this.signer = signer;
        this.partBytes = partBytes;
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
        boolean hasKey = key != null && !key.isBlank();
        boolean hasChain = chain != null && !chain.isBlank();
        if (hasKey && hasChain) {
            return SigningCredentials.load(Path.of(key), Path.of(chain));
        }
        if (hasKey || hasChain) {
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
        String uploadId = store.startMultipart(outputKey);
        try {
            Parts parts = new Parts(store.open(unsignedKey), outputKey, uploadId);
            byte[] box;
            try (InputStream in = new BufferedInputStream(parts, 1 << 16)) {
                box = Mp4Credentials.box(in, credentials, record, signer);
            }
            long size = parts.finish(box);
            store.delete(unsignedKey);
            return size;
        } catch (IOException | RuntimeException e) {
            store.abortMultipart(outputKey, uploadId);
            throw e;
        }
    }

    /**
     * Writes the Content Credentials of the output at {@code outputKey}, a format that cannot carry them inside, as
     * its sidecar ({@link facefarm.common.storage.JobFolder#credentialsSidecar}); the output is read back once to hash
     * it. Returns the sidecar's key.
     */
    public String signSidecar(String outputKey, RenderRecord record) throws IOException {
        byte[] manifestStore;
        try (InputStream in = new BufferedInputStream(store.open(outputKey), 1 << 16)) {
            manifestStore = SidecarCredentials.manifestStore(in, credentials, record, signer);
        }
        String key = facefarm.common.storage.JobFolder.credentialsSidecar(outputKey);
        store.put(key, manifestStore, "application/c2pa");
        return key;
    }

    /** The unsigned file as it is read, uploaded again part by part as the output. */
    private final class Parts extends FilterInputStream {
        private final String key;
        private final String uploadId;
        private final byte[] buffer = new byte[partBytes];
        private final List<ObjectStore.UploadedPart> uploaded = new ArrayList<>();
        private int filled;
        private long total;

        Parts(InputStream in, String key, String uploadId) {
            super(in);
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            int n = super.read(into, offset, length);
            for (int copied = 0; copied < n; ) {
                int chunk = Math.min(n - copied, buffer.length - filled);
                System.arraycopy(into, offset + copied, buffer, filled, chunk);
                filled += chunk;
                copied += chunk;
                if (filled == buffer.length) {
                    upload(buffer, filled);
                    filled = 0;
                }
            }
            return n;
        }

        private void upload(byte[] data, int length) {
            uploaded.add(store.uploadPart(key, uploadId, uploaded.size() + 1, data, length));
            total += length;
        }

        /** Uploads what is left with the C2PA box after it, completes the output and returns its size. */
        long finish(byte[] box) {
            byte[] last = java.util.Arrays.copyOf(buffer, filled + box.length);
            System.arraycopy(box, 0, last, filled, box.length);
            upload(last, last.length);
            store.completeMultipart(key, uploadId, uploaded);
            return total;
        }
    }
}
