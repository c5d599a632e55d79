package facefarm.common.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class WatermarkPayloadTest {
    private static final UUID JOB = UUID.fromString("3f6c2a91-5d7e-4b08-9a1c-0e2f4d6b8a7c");

    @Test
    void namesTheJobByTheStartOfItsId() {
        WatermarkPayload payload = WatermarkPayload.of("studio-farm", JOB);
        assertEquals("3f6c2a91-5d7e", payload.jobIdPrefix());
        assertTrue(JOB.toString().startsWith(payload.jobIdPrefix()));
        assertTrue(payload.names("studio-farm", JOB));
        assertFalse(payload.names("another-farm", JOB));
        assertFalse(payload.names("studio-farm", UUID.fromString("3f6c2a91-5d7f-4b08-9a1c-0e2f4d6b8a7c")));
    }

    @Test
    void roundTripsThroughItsHexAndBits() {
        WatermarkPayload payload = WatermarkPayload.of("studio-farm", JOB);
        assertEquals(16, payload.hex().length());
        assertEquals(payload, WatermarkPayload.parse(payload.hex()));
        assertEquals(payload, WatermarkPayload.fromBits(payload.bits()));
        assertTrue(payload.hex().endsWith("3f6c2a915d7e"), payload.hex());
    }

    @Test
    void refusesWhatIsNotAPayload() {
        assertThrows(IllegalArgumentException.class, () -> WatermarkPayload.parse("3f6c2a91"));
        assertThrows(IllegalArgumentException.class, () -> WatermarkPayload.parse("zz6c2a915d7e0000"));
        assertThrows(IllegalArgumentException.class, () -> new WatermarkPayload(0x10000, 0));
        assertThrows(IllegalArgumentException.class, () -> new WatermarkPayload(1, 1L << 48));
    }
}
