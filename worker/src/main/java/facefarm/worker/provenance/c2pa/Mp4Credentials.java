package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.RenderRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Content Credentials for an MP4 or MOV file: its BMFF hash, then a manifest store in a uuid box appended at its end. */
public final class Mp4Credentials {
    private Mp4Credentials() {
    }

    /** The C2PA box to append to the file {@code content} streams, signed for {@code render}. */
    public static byte[] box(InputStream content, ContentCredentials credentials, RenderRecord render, SigningCredentials signer)
            throws IOException {
        BmffHash.Result hash = BmffHash.of(content);
        byte[] store = credentials.manifestStore(render, BmffHash.LABEL, BmffHash.assertion(hash.hash()), signer);
        return ContentCredentials.c2paBox(store);
    }

    /** Signs a file in place: appends its C2PA box. */
    public static void sign(Path file, ContentCredentials credentials, RenderRecord render, SigningCredentials signer) throws IOException {
        byte[] box;
        try (InputStream in = Files.newInputStream(file)) {
            box = box(new java.io.BufferedInputStream(in, 1 << 16), credentials, render, signer);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write(box);
        }
    }
}
