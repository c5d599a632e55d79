package facefarm.worker.provenance.c2pa;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The farm's C2PA signing key and its certificate chain (signing certificate first): an operator's, from PEM files,
 * or a local one the embedded stack makes on first use (a local root and a signing certificate it issued, which no
 * one else trusts: it says so). ES256 on P-256, as C2PA's certificate profile allows.
 */
public record SigningCredentials(PrivateKey key, List<X509Certificate> chain) {
    /** The document-signing purpose (RFC 9336), one C2PA accepts for claim signers. */
    private static final KeyPurposeId DOCUMENT_SIGNING = KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.36"));

    public SigningCredentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing chain needs at least the signing certificate");
        }
    }

    /** Reads a PEM private key (PKCS#8 or EC) and a PEM certificate chain, signing certificate first. */
    public static SigningCredentials load(Path keyFile, Path chainFile) {
        try (Reader keyReader = Files.newBufferedReader(keyFile); PEMParser keys = new PEMParser(keyReader);
             Reader chainReader = Files.newBufferedReader(chainFile); PEMParser certs = new PEMParser(chainReader)) {
            Object read = keys.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key = read instanceof PEMKeyPair pair ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                    : read instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
            if (key == null) {
                throw new IllegalArgumentException(keyFile + " holds no PEM private key");
            }
            List<X509Certificate> chain = new ArrayList<>();
            JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
            for (Object cert = certs.readObject(); cert != null; cert = certs.readObject()) {
                if (cert instanceof X509CertificateHolder holder) {
                    chain.add(certificates.getCertificate(holder));
                }
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(chainFile + " holds no PEM certificate");
            }
            return new SigningCredentials(key, chain);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read the C2PA signing key " + keyFile + " and chain " + chainFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The local credentials in {@code dir} (signing.key, signing-chain.pem and root.pem), made there on first use: a
     * root valid ten years and a signing certificate valid one, both for {@code organisation}.
     */
    public static SigningCredentials local(Path dir, String organisation) {
        Path key = dir.resolve("signing.key");
        Path chain = dir.resolve("signing-chain.pem");
        if (Files.isRegularFile(key) && Files.isRegularFile(chain)) {
            return load(key, chain);
        }
        try {
            Files.createDirectories(dir);
            KeyPair root = ecKeyPair();
            KeyPair signer = ecKeyPair();
            Instant now = Instant.now().minus(Duration.ofHours(1));
            X500Name rootName = new X500Name("CN=" + organisation + " local C2PA root (not publicly trusted),O=" + organisation);
            X500Name signerName = new X500Name("CN=" + organisation + " local C2PA signer (not publicly trusted),O=" + organisation);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder rootBuilder = new JcaX509v3CertificateBuilder(rootName, serial(), Date.from(now),
                    Date.from(now.plus(Duration.ofDays(3650))), rootName, root.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(root.getPublic()));
            X509Certificate rootCert = sign(rootBuilder, root.getPrivate());
            X509v3CertificateBuilder signerBuilder = new JcaX509v3CertificateBuilder(rootCert, serial(), Date.from(now),
                    Date.from(now.plus(Duration.ofDays(365))), signerName, signer.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection,
                            DOCUMENT_SIGNING}))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(signer.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(rootCert));
            X509Certificate signerCert = sign(signerBuilder, root.getPrivate());
            // PKCS#8, which keeps the curve with the key (SEC1 as JcaPEMWriter writes it does not read back)
            Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(signer.getPrivate(), null)));
            Files.writeString(chain, pem(signerCert) + pem(rootCert));
            Files.writeString(dir.resolve("root.pem"), pem(rootCert));
            return new SigningCredentials(signer.getPrivate(), List.of(signerCert, rootCert));
        } catch (IOException | java.security.GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make local C2PA signing credentials in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the chain ends in a root this farm made for itself (no one else trusts it). */
    public boolean local() {
        return chain.get(chain.size() - 1).getSubjectX500Principal().getName().contains("local C2PA root");
    }

    private static KeyPair ecKeyPair() throws java.security.GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuer) throws OperatorCreationException, CertificateException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
