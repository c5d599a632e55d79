package facefarm.worker.provenance;

import facefarm.common.provenance.WatermarkPayload;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.zip.CRC32;

/**
 * The word each frame carries: the 64 payload bits, then a CRC-32 of them. The CRC is how a reader tells a mark from
 * chance: a clip that was never marked still reads as some word, but its check bits match with odds of 2^-32.
 */
public final class WatermarkCode {
    public static final int BITS = WatermarkPayload.BITS + 32;

    private WatermarkCode() {
    }

    public static boolean[] encode(long payload) {
        long check = crc(payload);
        boolean[] bits = new boolean[BITS];
        for (int i = 0; i < WatermarkPayload.BITS; i++) {
            bits[i] = (payload >>> (63 - i) & 1) != 0;
        }
        for (int i = 0; i < 32; i++) {
            bits[WatermarkPayload.BITS + i] = (check >>> (31 - i) & 1) != 0;
        }
        return bits;
    }

    /** The payload of a word whose check bits match it, or empty. */
    public static OptionalLong decode(boolean[] bits) {
        if (bits.length != BITS) {
            throw new IllegalArgumentException("a watermark word has " + BITS + " bits, not " + bits.length);
        }
        long payload = 0;
        for (int i = 0; i < WatermarkPayload.BITS; i++) {
            payload = payload << 1 | (bits[i] ? 1 : 0);
        }
        long check = 0;
        for (int i = 0; i < 32; i++) {
            check = check << 1 | (bits[WatermarkPayload.BITS + i] ? 1 : 0);
        }
        return check == crc(payload) ? OptionalLong.of(payload) : OptionalLong.empty();
    }

    private static long crc(long payload) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(payload).array());
        return crc.getValue();
    }
}
