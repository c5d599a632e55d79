package facefarm.worker.provenance.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written formats against RFC 8949's examples and against each other. */
class C2paFormatsTest {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void cborMatchesTheRfcExamples() {
        assertArrayEquals(hex("00"), Cbor.encode(0));
        assertArrayEquals(hex("17"), Cbor.encode(23));
        assertArrayEquals(hex("1818"), Cbor.encode(24));
        assertArrayEquals(hex("1903e8"), Cbor.encode(1000));
        assertArrayEquals(hex("1a000f4240"), Cbor.encode(1000000));
        assertArrayEquals(hex("1b000000e8d4a51000"), Cbor.encode(1000000000000L));
        assertArrayEquals(hex("20"), Cbor.encode(-1));
        assertArrayEquals(hex("3863"), Cbor.encode(-100));
        assertArrayEquals(hex("6449455446"), Cbor.encode("IETF"));
        assertArrayEquals(hex("4401020304"), Cbor.encode(new byte[] {1, 2, 3, 4}));
        assertArrayEquals(hex("83010203"), Cbor.encode(List.of(1, 2, 3)));
        assertArrayEquals(hex("f6"), Cbor.encode(null));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of(2, 3));
        assertArrayEquals(hex("a26161016162820203"), Cbor.encode(map));
        assertArrayEquals(hex("d24101"), Cbor.encode(new Cbor.Tagged(18, new byte[] {1})));
    }

    @Test
    void cborReadsBackWhatItWritesAndIndefiniteLengths() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("alg", "sha256");
        map.put("hash", new byte[] {9, 8, 7});
        map.put("n", List.of(-7L, 33L, true));
        Map<?, ?> read = (Map<?, ?>) CborReader.decode(Cbor.encode(map));
        assertEquals("sha256", read.get("alg"));
        assertArrayEquals(new byte[] {9, 8, 7}, (byte[]) read.get("hash"));
        assertEquals(List.of(-7L, 33L, true), read.get("n"));
        assertEquals(List.of(1L, List.of(2L, 3L)), CborReader.decode(hex("9f01820203ff")), "an indefinite-length array");
        assertEquals(1.5, CborReader.decode(hex("f93e00")));
        assertThrows(IllegalArgumentException.class, () -> CborReader.decode(hex("1a0000")));
    }

    @Test
    void jumbfReadsBackWhatItWrites() {
        byte[] claim = Cbor.encode(Map.of("alg", "sha256"));
        byte[] store = Jumbf.superbox(Jumbf.MANIFEST_STORE, "c2pa", Jumbf.superbox(Jumbf.MANIFEST, "urn:c2pa:x", Jumbf.cbor(Jumbf.CLAIM, "c2pa.claim.v2", claim)));
        JumbfBox read = JumbfBox.parse(store);
        assertEquals("c2pa", read.label());
        assertEquals(Jumbf.MANIFEST_STORE, read.type());
        JumbfBox claimBox = read.children().get(0).child("c2pa.claim.v2").orElseThrow();
        assertEquals(Jumbf.CLAIM, claimBox.type());
        assertArrayEquals(claim, claimBox.content());
        assertArrayEquals(Arrays.copyOfRange(store, 8, store.length), read.hashed(), "a hashed URI covers the box without its header");
        assertThrows(IllegalArgumentException.class, () -> JumbfBox.parse(hex("0000000c6a756d6200000000")));
    }
}
