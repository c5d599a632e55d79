package facefarm.common.provenance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The 64 bits the invisible watermark carries: which farm made the frame ({@code farm}, 16 bits of a hash of the
 * farm's configured name) and which job ({@code job}, the first 48 bits of the job's UUID, enough to find it among
 * a farm's jobs). Written as 16 hex digits: farm, then job.
 */
public record WatermarkPayload(int farm, long job) {
    public static final int BITS = 64;
    private static final long JOB_MASK = (1L << 48) - 1;

    public WatermarkPayload {
        if (farm < 0 || farm > 0xffff) {
            throw new IllegalArgumentException("a farm code has 16 bits, not " + farm);
        }
        if ((job & ~JOB_MASK) != 0) {
            throw new IllegalArgumentException("a job code has 48 bits, not " + Long.toHexString(job));
        }
    }

    public static WatermarkPayload of(String farmName, UUID job) {
        return new WatermarkPayload(farmCode(farmName), job.getMostSignificantBits() >>> 16);
    }

    public static WatermarkPayload fromBits(long bits) {
        return new WatermarkPayload((int) (bits >>> 48), bits & JOB_MASK);
    }

    /** Parses the 16 hex digits of {@link #hex()}. */
    public static WatermarkPayload parse(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{16}")) {
            throw new IllegalArgumentException("a watermark payload is 16 hex digits, not '" + hex + "'");
        }
        return fromBits(Long.parseUnsignedLong(hex, 16));
    }

    /** 16 bits of the SHA-256 of the farm's name. */
    public static int farmCode(String farmName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(farmName.getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xff) << 8) | (digest[1] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public long bits() {
        return ((long) farm << 48) | job;
    }

    public String hex() {
        return HexFormat.of().toHexDigits(bits());
    }

    /** The start of the job's UUID as text ({@code 8-4} hex digits), which every job this payload names begins with. */
    public String jobIdPrefix() {
        String digits = HexFormat.of().toHexDigits(job).substring(4);
        return digits.substring(0, 8) + "-" + digits.substring(8);
    }

    /** Whether this payload names that job of that farm. */
    public boolean names(String farmName, UUID jobId) {
        return equals(of(farmName, jobId));
    }
}
