package facefarm.worker.provenance.c2pa;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C2PA's hard binding for MP4 and MOV ({@code c2pa.hash.bmff.v2}): SHA-256 over every top-level box but the excluded
 * ones (the C2PA box itself, ftyp and mfra, the exclusions C2PA requires), each preceded by its file offset as 8 big-endian bytes. Read in
 * one pass, in order, so a file can be hashed as it streams from S3.
 */
final class BmffHash {
    static final String LABEL = "c2pa.hash.bmff.v2";
    /** The usertype of the uuid box that holds a C2PA manifest store. */
    static final byte[] C2PA_UUID = HexFormat.of().parseHex("d8fec3d61b0e483c92975828877ec481");
    static final Set<String> EXCLUDED = Set.of("ftyp", "mfra");

    private BmffHash() {
    }

    /**
     * The hash of the boxes of a BMFF file, the offset its end had (where a C2PA box appended goes), and the manifest
     * store of the C2PA box it holds (null when none).
     */
    record Result(byte[] hash, long length, byte[] manifestStore) {
    }

    /** The largest manifest store read back: a manifest is kilobytes; this bounds what a hostile file can make us hold. */
    private static final long MAX_MANIFEST = 16L << 20;

    static Result of(InputStream file) throws IOException {
        return of(file, EXCLUDED);
    }

    /** The hash with these top-level box types excluded (besides the C2PA box): what another signer's exclusions say. */
    static Result of(InputStream file, Set<String> excludedTypes) throws IOException {
        MessageDigest sha = sha256();
        DataInputStream in = new DataInputStream(file);
        long offset = 0;
        byte[] buffer = new byte[1 << 16];
        byte[] manifestStore = null;
        while (true) {
            byte[] header = new byte[8];
            int first = in.read(header, 0, 8);
            if (first < 0) {
                break;
            }
            if (first < 8) {
                in.readFully(header, first, 8 - first);
            }
            long size = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt(0));
            String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
            byte[] more = new byte[0];
            if (size == 1) {
                more = in.readNBytes(8);
                size = ByteBuffer.wrap(more).getLong();
            } else if (size == 0) {
                throw new IOException("a " + type + " box that runs to the end of the file is not supported; the muxer writes sizes");
            }
            if (type.equals("uuid")) {
                byte[] usertype = in.readNBytes(16);
                more = concat(more, usertype);
            }
            long headerLength = 8 + more.length;
            if (size < headerLength) {
                throw new IOException("box " + type + " at " + offset + " is " + size + " bytes, less than its header");
            }
            boolean c2pa = type.equals("uuid") && Arrays.equals(Arrays.copyOfRange(more, more.length - 16, more.length), C2PA_UUID);
            boolean excluded = excludedTypes.contains(type) || c2pa;
            if (c2pa && size - headerLength <= MAX_MANIFEST) {
                byte[] body = in.readNBytes((int) (size - headerLength));
                manifestStore = manifestStore(body);
                offset += size;
                continue;
            }
            if (!excluded) {
                sha.update(ByteBuffer.allocate(8).putLong(offset).array());
                sha.update(header);
                sha.update(more);
            }
            long remaining = size - headerLength;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new EOFException("the file ends inside box " + type + " at " + offset);
                }
                if (!excluded) {
                    sha.update(buffer, 0, n);
                }
                remaining -= n;
            }
            offset += size;
        }
        return new Result(sha.digest(), offset, manifestStore);
    }

    /** The JUMBF of a C2PA box's body: after version and flags, the purpose ("manifest") and its 8-byte offset. */
    private static byte[] manifestStore(byte[] body) throws IOException {
        int end = 4;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        String purpose = new String(body, 4, Math.max(0, end - 4), StandardCharsets.US_ASCII);
        if (!purpose.equals("manifest") || end + 9 > body.length) {
            throw new IOException("a C2PA box with purpose '" + purpose + "' (only 'manifest' boxes are read)");
        }
        return Arrays.copyOfRange(body, end + 9, body.length);
    }

    /** The assertion's CBOR map, with the exclusions the hash was made with. */
    static Map<String, Object> assertion(byte[] hash) {
        Map<String, Object> uuid = new LinkedHashMap<>();
        uuid.put("xpath", "/uuid");
        uuid.put("data", List.of(Map.of("offset", 8, "value", C2PA_UUID)));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("exclusions", List.of(uuid, Map.of("xpath", "/ftyp"), Map.of("xpath", "/mfra")));
        map.put("alg", "sha256");
        map.put("hash", hash);
        map.put("name", "jumbf manifest");
        return map;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
