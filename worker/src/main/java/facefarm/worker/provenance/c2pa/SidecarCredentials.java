package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.ProvenanceCheckRequest;
import facefarm.common.provenance.RenderRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Content Credentials for a file that cannot carry them inside (a Matroska master): a manifest store in a sidecar
 * {@code .c2pa} file beside it, bound to it by a data hash (SHA-256 of every byte, nothing excluded, since nothing of
 * the file is the manifest).
 */
public final class SidecarCredentials {
    /** The hard binding's label. */
    static final String LABEL = "c2pa.hash.data";

    private SidecarCredentials() {
    }

    /** The manifest store for the file {@code content} streams, signed for {@code render}: the sidecar's bytes. */
    public static byte[] manifestStore(InputStream content, ContentCredentials credentials, RenderRecord render, SigningCredentials signer)
            throws IOException {
        return credentials.manifestStore(render, LABEL, assertion(hash(content)), signer);
    }

    /** Where a file's sidecar is: the same name with the extension {@code .c2pa}. */
    public static Path sidecarOf(Path file) {
        return file.resolveSibling(ProvenanceCheckRequest.sidecarName(file.getFileName().toString()));
    }

    static byte[] hash(InputStream content) throws IOException {
        MessageDigest sha = BmffHash.sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
            sha.update(buffer, 0, n);
        }
        return sha.digest();
    }

    static Map<String, Object> assertion(byte[] hash) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("exclusions", List.of());
        map.put("name", "jumbf manifest");
        map.put("alg", "sha256");
        map.put("hash", hash);
        map.put("pad", new byte[0]);
        return map;
    }
}
