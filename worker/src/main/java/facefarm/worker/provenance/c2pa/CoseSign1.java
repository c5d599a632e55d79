package facefarm.worker.provenance.c2pa;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claim signature C2PA asks for: a COSE_Sign1 (RFC 9052) with a detached payload (the claim's bytes), ES256,
 * and the certificate chain in the protected header (x5chain, label 33).
 */
final class CoseSign1 {
    private static final int ALG = 1;
    private static final int ES256 = -7;
    private static final int X5CHAIN = 33;
    private static final long TAG = 18;

    private CoseSign1() {
    }

    static byte[] sign(byte[] claim, SigningCredentials credentials) {
        try {
            List<Object> chain = new ArrayList<>();
            for (X509Certificate certificate : credentials.chain()) {
                chain.add(certificate.getEncoded());
            }
            Map<Object, Object> header = new LinkedHashMap<>();
            header.put(ALG, ES256);
            header.put(X5CHAIN, chain.size() == 1 ? chain.get(0) : chain);
            byte[] protectedHeader = Cbor.encode(header);
            byte[] toBeSigned = Cbor.encode(List.of("Signature1", protectedHeader, new byte[0], claim));
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(credentials.key());
            ecdsa.update(toBeSigned);
            byte[] signature = rawSignature(ecdsa.sign());
            List<Object> sign1 = Arrays.asList(protectedHeader, Map.of(), null, signature);
            return Cbor.encode(new Cbor.Tagged(TAG, sign1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the C2PA claim: " + e.getMessage(), e);
        }
    }

    /** COSE's ECDSA signature is r and s as 32 bytes each, not Java's DER sequence. */
    static byte[] rawSignature(byte[] der) {
        int offset = 3 + (der[1] & 0x80) / 0x80 * (der[1] & 0x7f);
        int rLength = der[offset];
        byte[] r = Arrays.copyOfRange(der, offset + 1, offset + 1 + rLength);
        int sAt = offset + 1 + rLength + 1;
        int sLength = der[sAt];
        byte[] s = Arrays.copyOfRange(der, sAt + 1, sAt + 1 + sLength);
        byte[] raw = new byte[64];
        copyRight(r, raw, 0);
        copyRight(s, raw, 32);
        return raw;
    }

    private static void copyRight(byte[] integer, byte[] into, int at) {
        int skip = Math.max(0, integer.length - 32);
        System.arraycopy(integer, skip, into, at + 32 - (integer.length - skip), integer.length - skip);
    }
}
