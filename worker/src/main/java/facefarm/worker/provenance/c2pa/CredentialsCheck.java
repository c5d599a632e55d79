package facefarm.worker.provenance.c2pa;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The farm's own check of an MP4's Content Credentials, for ./farm provenance: the claim's signature against the
 * signing certificate in it, every assertion against the claim's hashed URIs, and the file against its BMFF hash.
 * It says who signed, not whether to trust them: that is the reader's trust list (a farm's local key is trusted by
 * no one else). Independent validation is the C2PA SDK's (the tests use it).
 */
public final class CredentialsCheck {
    private CredentialsCheck() {
    }

    public enum Status { NONE, VALID, INVALID }

    /**
     * @param problem why it is invalid (null when it is valid or absent)
     * @param render the farm's own assertion ({@link ContentCredentials#RENDER_ASSERTION}), when present
     */
    public record Report(Status status, String problem, String signer, String issuer, boolean localKey, String digitalSourceType, Map<?, ?> render) {
        static Report none() {
            return new Report(Status.NONE, null, null, null, false, null, Map.of());
        }
    }

    /** Whether the file is ISO BMFF (MP4, MOV), the only kind whose credentials this reader finds: it opens with an ftyp box. */
    public static boolean bmff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(8);
            return header.length == 8 && new String(header, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp");
        }
    }

    public static Report check(Path file) throws IOException {
        BmffHash.Result first;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            first = BmffHash.of(in);
        }
        if (first.manifestStore() == null) {
            return Report.none();
        }
        JumbfBox store = JumbfBox.parse(first.manifestStore());
        if (store.children().isEmpty()) {
            return invalid("the manifest store holds no manifest", null, null, null);
        }
        JumbfBox manifest = store.children().get(store.children().size() - 1);
        JumbfBox assertions = manifest.child("c2pa.assertions").orElse(null);
        JumbfBox claimBox = manifest.children().stream().filter(c -> c.label().startsWith("c2pa.claim")).findFirst().orElse(null);
        JumbfBox signatureBox = manifest.child("c2pa.signature").orElse(null);
        if (assertions == null || claimBox == null || signatureBox == null || claimBox.content() == null || signatureBox.content() == null) {
            return invalid("the manifest lacks its assertions, claim or signature", null, null, null);
        }
        X509Certificate signer;
        try {
            signer = verifySignature(claimBox.content(), signatureBox.content());
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return invalid("the claim's signature does not verify: " + e.getMessage(), null, null, null);
        }
        String subject = name(signer.getSubjectX500Principal().getName());
        String issuer = name(signer.getIssuerX500Principal().getName());
        Map<?, ?> claim = (Map<?, ?>) CborReader.decode(claimBox.content());
        Object references = claim.containsKey("created_assertions") ? claim.get("created_assertions") : claim.get("assertions");
        for (Object reference : (List<?>) references) {
            Map<?, ?> uri = (Map<?, ?>) reference;
            String url = (String) uri.get("url");
            String label = url.substring(url.lastIndexOf('/') + 1);
            JumbfBox assertion = assertions.child(label).orElse(null);
            if (assertion == null || !MessageDigest.isEqual(sha256(assertion.hashed()), (byte[]) uri.get("hash"))) {
                return invalid("assertion " + label + " is missing or changed since it was signed", subject, issuer, signer);
            }
        }
        JumbfBox binding = assertions.children().stream().filter(a -> a.label().startsWith("c2pa.hash.bmff")).findFirst().orElse(null);
        if (binding == null) {
            return invalid("no BMFF hard binding: the credentials are not bound to this file", subject, issuer, signer);
        }
        if (!binding.label().equals(BmffHash.LABEL)) {
            return invalid(binding.label() + " is not checked by this reader (use a C2PA SDK)", subject, issuer, signer);
        }
        Map<?, ?> hash = (Map<?, ?>) CborReader.decode(binding.content());
        Set<String> excluded = new HashSet<>();
        for (Object exclusion : (List<?>) hash.get("exclusions")) {
            String xpath = (String) ((Map<?, ?>) exclusion).get("xpath");
            if (!xpath.equals("/uuid")) {
                excluded.add(xpath.substring(1));
            }
        }
        // the first read hashed with this farm's exclusions; another signer's need a second read
        byte[] computed = first.hash();
        if (!excluded.equals(BmffHash.EXCLUDED)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                computed = BmffHash.of(in, excluded).hash();
            }
        }
        if (!MessageDigest.isEqual(computed, (byte[]) hash.get("hash"))) {
            return invalid("the file's hash does not match its credentials: its pictures or sound changed after signing", subject, issuer, signer);
        }
        return new Report(Status.VALID, null, subject, issuer, local(signer), digitalSourceType(assertions), render(assertions));
    }

    private static X509Certificate verifySignature(byte[] claim, byte[] coseBytes) throws GeneralSecurityException {
        List<?> cose = (List<?>) CborReader.decode(coseBytes);
        byte[] protectedHeader = (byte[]) cose.get(0);
        Map<?, ?> header = (Map<?, ?>) CborReader.decode(protectedHeader);
        Object alg = header.get(1L);
        if (!Long.valueOf(-7).equals(alg)) {
            throw new GeneralSecurityException("algorithm " + alg + " is not checked by this reader (ES256 is)");
        }
        Object chain = header.containsKey(33L) ? header.get(33L) : ((Map<?, ?>) cose.get(1)).get(33L);
        byte[] der = chain instanceof List<?> list ? (byte[]) list.get(0) : (byte[]) chain;
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initVerify(certificate.getPublicKey());
        ecdsa.update(Cbor.encode(List.of("Signature1", protectedHeader, new byte[0], claim)));
        if (!ecdsa.verify(derSignature((byte[]) cose.get(3)))) {
            throw new GeneralSecurityException("the signature does not match the claim");
        }
        return certificate;
    }

    /** Java's ECDSA takes a DER sequence of r and s; COSE carries them raw. */
    private static byte[] derSignature(byte[] raw) {
        byte[] r = new BigInteger(1, java.util.Arrays.copyOfRange(raw, 0, raw.length / 2)).toByteArray();
        byte[] s = new BigInteger(1, java.util.Arrays.copyOfRange(raw, raw.length / 2, raw.length)).toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + r.length + s.length);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static String digitalSourceType(JumbfBox assertions) {
        return assertions.children().stream().filter(a -> a.label().startsWith("c2pa.actions")).findFirst().map(a -> {
            Object actions = ((Map<?, ?>) CborReader.decode(a.content())).get("actions");
            for (Object action : (List<?>) actions) {
                Object type = ((Map<?, ?>) action).get("digitalSourceType");
                if (type != null) {
                    return (String) type;
                }
            }
            return null;
        }).orElse(null);
    }

    private static Map<?, ?> render(JumbfBox assertions) {
        return assertions.child(ContentCredentials.RENDER_ASSERTION).map(a -> (Map<?, ?>) CborReader.decode(a.content())).orElse(Map.of());
    }

    private static Report invalid(String problem, String subject, String issuer, X509Certificate signer) {
        return new Report(Status.INVALID, problem, subject, issuer, signer != null && local(signer), null, Map.of());
    }

    private static boolean local(X509Certificate signer) {
        return signer.getSubjectX500Principal().getName().contains("local C2PA signer");
    }

    /** The common name of a distinguished name, or the whole name. */
    private static String name(String distinguished) {
        for (String part : distinguished.split(",")) {
            if (part.trim().startsWith("CN=")) {
                return part.trim().substring(3);
            }
        }
        return distinguished;
    }

    private static byte[] sha256(byte[] data) {
        return BmffHash.sha256().digest(data);
    }
}
