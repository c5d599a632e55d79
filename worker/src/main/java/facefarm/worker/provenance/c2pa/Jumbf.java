package facefarm.worker.provenance.c2pa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * JUMBF (ISO/IEC 19566-5) boxes as C2PA lays out a manifest store: superboxes ('jumb') that open with a description
 * box ('jumd': the content type's UUID, toggles, a label), then content boxes.
 */
final class Jumbf {
    static final String MANIFEST_STORE = "6332706100110010800000AA00389B71";
    static final String MANIFEST = "63326D6100110010800000AA00389B71";
    static final String ASSERTION_STORE = "6332617300110010800000AA00389B71";
    static final String CLAIM = "6332636C00110010800000AA00389B71";
    static final String SIGNATURE = "6332637300110010800000AA00389B71";
    static final String CBOR_CONTENT = "63626F7200110010800000AA00389B71";
    /** Requestable, and labelled. */
    private static final int TOGGLES = 0x03;

    private Jumbf() {
    }

    static byte[] superbox(String typeUuid, String label, byte[]... contents) {
        ByteArrayOutputStream description = new ByteArrayOutputStream();
        description.writeBytes(HexFormat.of().parseHex(typeUuid));
        description.write(TOGGLES);
        description.writeBytes(label.getBytes(StandardCharsets.UTF_8));
        description.write(0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(box("jumd", description.toByteArray()));
        for (byte[] content : contents) {
            body.writeBytes(content);
        }
        return box("jumb", body.toByteArray());
    }

    /** A superbox holding one CBOR content box. */
    static byte[] cbor(String typeUuid, String label, byte[] cbor) {
        return superbox(typeUuid, label, box("cbor", cbor));
    }

    static byte[] box(String type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(payload).array();
    }
}
