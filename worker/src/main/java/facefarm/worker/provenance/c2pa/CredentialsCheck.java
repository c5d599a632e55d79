package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.ProvenanceReport;
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
 * The farm's own check of a file's Content Credentials, for ./farm provenance: embedded in an MP4 or MOV, or in a
 * sidecar {@code .c2pa} beside any other file. The claim's signature is checked against the signing certificate in it,
 * every assertion against the claim's hashed URIs, and the file against its hard binding (the BMFF hash, or a
 * sidecar's data hash). It says who signed, not whether to trust them: that is the reader's trust list (a farm's local
 * key is trusted by no one else). Independent validation is the C2PA SDK's (the tests use it).
 */
public final class CredentialsCheck {
    /** A sidecar larger than this is not a manifest store this farm wrote (its own are a few kilobytes). */
    static final long MAX_SIDECAR_BYTES = 16L << 20;

    private CredentialsCheck() {
    }

    /** How a manifest's hard binding is checked against the file: the problem, or null when it matches. */
    private interface Binding {
        String problem(JumbfBox assertions) throws IOException;
    }

    /** Whether the file is ISO BMFF (MP4, MOV), whose credentials are inside it: it opens with an ftyp box. */
    public static boolean bmff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(8);
            return header.length == 8 && new String(header, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp");
        }
    }

    /** The credentials embedded in the file, else those of its sidecar (the same name with .c2pa), else none. */
    public static ProvenanceReport.Credentials check(Path file) throws IOException {
        if (bmff(file)) {
            BmffHash.Result first;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                first = BmffHash.of(in);
            }
            if (first.manifestStore() != null) {
                return verify(first.manifestStore(), "embedded", assertions -> bmffProblem(assertions, first, file));
            }
        }
        Path sidecar = SidecarCredentials.sidecarOf(file);
        if (sidecar.equals(file) || !Files.isRegularFile(sidecar)) {
            return ProvenanceReport.Credentials.NONE;
        }
        String location = "sidecar " + sidecar.getFileName();
        if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
            return invalid(location, "the sidecar is " + Files.size(sidecar) + " bytes, not a manifest store", null);
        }
        return verify(Files.readAllBytes(sidecar), location, assertions -> dataHashProblem(assertions, file));
    }

    private static ProvenanceReport.Credentials verify(byte[] manifestStore, String location, Binding binding) throws IOException {
        JumbfBox store = JumbfBox.parse(manifestStore);
        if (store.children().isEmpty()) {
            return invalid(location, "the manifest store holds no manifest", null);
        }
        JumbfBox manifest = store.children().get(store.children().size() - 1);
        JumbfBox assertions = manifest.child("c2pa.assertions").orElse(null);
        JumbfBox claimBox = manifest.children().stream().filter(c -> c.label().startsWith("c2pa.claim")).findFirst().orElse(null);
        JumbfBox signatureBox = manifest.child("c2pa.signature").orElse(null);
        if (assertions == null || claimBox == null || signatureBox == null || claimBox.content() == null || signatureBox.content() == null) {
            return invalid(location, "the manifest lacks its assertions, claim or signature", null);
        }
        ProvenanceReport.Signer signer;
        try {
            signer = signer(verifySignature(claimBox.content(), signatureBox.content()));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return invalid(location, "the claim's signature does not verify: " + e.getMessage(), null);
        }
        Map<?, ?> claim = (Map<?, ?>) CborReader.decode(claimBox.content());
        Object references = claim.containsKey("created_assertions") ? claim.get("created_assertions") : claim.get("assertions");
        for (Object reference : (List<?>) references) {
            Map<?, ?> uri = (Map<?, ?>) reference;
            String url = (String) uri.get("url");
            String label = url.substring(url.lastIndexOf('/') + 1);
            JumbfBox assertion = assertions.child(label).orElse(null);
            if (assertion == null || !MessageDigest.isEqual(sha256(assertion.hashed()), (byte[]) uri.get("hash"))) {
                return invalid(location, "assertion " + label + " is missing or changed since it was signed", signer);
            }
        }
        String problem = binding.problem(assertions);
        if (problem != null) {
            return invalid(location, problem, signer);
        }
        return new ProvenanceReport.Credentials(ProvenanceReport.CredentialsStatus.VALID, null, location, signer, digitalSourceType(assertions),
                render(assertions));
    }

    /** An embedded manifest's BMFF hash against the file, reusing the first read's hash when the exclusions are this farm's. */
    private static String bmffProblem(JumbfBox assertions, BmffHash.Result first, Path file) throws IOException {
        JumbfBox binding = assertions.children().stream().filter(a -> a.label().startsWith("c2pa.hash.bmff")).findFirst().orElse(null);
        if (binding == null) {
            return "no BMFF hard binding: the credentials are not bound to this file";
        }
        if (!binding.label().equals(BmffHash.LABEL)) {
            return binding.label() + " is not checked by this reader (use a C2PA SDK)";
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
        return MessageDigest.isEqual(computed, (byte[]) hash.get("hash")) ? null
                : "the file's hash does not match its credentials: its pictures or sound changed after signing";
    }

    /** A sidecar's data hash against every byte of the file. */
    private static String dataHashProblem(JumbfBox assertions, Path file) throws IOException {
        JumbfBox binding = assertions.child(SidecarCredentials.LABEL).orElse(null);
        if (binding == null) {
            return "the sidecar has no data hash (" + SidecarCredentials.LABEL + "): its credentials are not bound to " + file.getFileName();
        }
        Map<?, ?> hash = (Map<?, ?>) CborReader.decode(binding.content());
        Object alg = hash.get("alg");
        if (!(alg == null || "sha256".equals(alg)) || !(hash.get("exclusions") == null || ((List<?>) hash.get("exclusions")).isEmpty())) {
            return "the sidecar's data hash is not a SHA-256 of the whole file, which is all this reader checks (use a C2PA SDK)";
        }
        byte[] computed;
        try (InputStream in = Files.newInputStream(file)) {
            computed = SidecarCredentials.hash(in);
        }
        return MessageDigest.isEqual(computed, (byte[]) hash.get("hash")) ? null
                : "the file's hash does not match its sidecar's credentials: it changed after signing, or the sidecar belongs to another file";
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

    private static Map<String, Object> render(JumbfBox assertions) {
        Map<String, Object> render = new java.util.LinkedHashMap<>();
        assertions.child(ContentCredentials.RENDER_ASSERTION).ifPresent(a -> ((Map<?, ?>) CborReader.decode(a.content()))
                .forEach((key, value) -> render.put(String.valueOf(key), value)));
        return render;
    }

    private static ProvenanceReport.Credentials invalid(String location, String problem, ProvenanceReport.Signer signer) {
        return new ProvenanceReport.Credentials(ProvenanceReport.CredentialsStatus.INVALID, problem, location, signer, null, Map.of());
    }

    private static ProvenanceReport.Signer signer(X509Certificate certificate) {
        return new ProvenanceReport.Signer(name(certificate.getSubjectX500Principal().getName()), name(certificate.getIssuerX500Principal().getName()),
                certificate.getSubjectX500Principal().getName().contains("local C2PA signer"));
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
