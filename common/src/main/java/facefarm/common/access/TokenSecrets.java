package facefarm.common.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token secrets: 256 random bits, and the SHA-256 that is all the farm keeps of them (a fast hash is enough for
 * secrets this long: there is nothing to guess).
 */
public final class TokenSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "ff_";

    private TokenSecrets() {
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a bearer token is one of the farm's own (the others are JWTs from an OIDC provider). */
    public static boolean isFarmToken(String token) {
        return token.startsWith(PREFIX);
    }

    /** Lower-case hex SHA-256 of the secret. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
