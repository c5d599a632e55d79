package facefarm.common.provenance;

import java.util.Map;

/**
 * What a file says of where it came from, as ./farm provenance and a worker's provenance check read it: the farm's
 * invisible watermark in its first frames, and its C2PA Content Credentials (inside it, or in a sidecar beside it).
 */
public record ProvenanceReport(Watermark watermark, Credentials credentials) {

    /**
     * @param frames       how many frames were read
     * @param payload      the payload (16 hex digits) when a word with matching check bits was read, else null
     * @param bitErrorRate the share of each frame's word that differs from the payload (NaN when none was found)
     * @param keptX        the share of the marked frame's width the file shows (1 unless it was cropped)
     * @param keptY        the same for its height
     */
    public record Watermark(int frames, String payload, double bitErrorRate, double keptX, double keptY) {
        public static Watermark none(int frames) {
            return new Watermark(frames, null, Double.NaN, 1, 1);
        }

        public boolean found() {
            return payload != null;
        }
    }

    public enum CredentialsStatus { NONE, VALID, INVALID }

    /** Who signed: the certificate's common name and issuer, and whether it is a farm's local key, which no reader trusts. */
    public record Signer(String name, String issuer, boolean localKey) {
    }

    /**
     * @param problem           why they are invalid (null when valid or absent)
     * @param location          "embedded", or "sidecar NAME" (null when there are none)
     * @param signer            null when the signature could not be read
     * @param digitalSourceType the IPTC term the actions give, when valid
     * @param render            the farm's own assertion (job, farm, watermark, models, consents) when valid, else empty
     */
    public record Credentials(CredentialsStatus status, String problem, String location, Signer signer, String digitalSourceType,
                              Map<String, Object> render) {
        public static final Credentials NONE = new Credentials(CredentialsStatus.NONE, null, null, null, null, Map.of());

        public Credentials {
            // a foreign manifest may hold nulls, which Map.copyOf refuses
            render = render == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(render));
        }
    }
}
