package facefarm.worker.provenance.c2pa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A JUMBF superbox read back: its content type, label, the bytes hashed URIs cover (the box without its own header),
 * its sub-boxes, and the payload of its content box (such as the CBOR of a claim).
 */
record JumbfBox(String type, String label, byte[] hashed, List<JumbfBox> children, byte[] content) {
    /** Reads the superbox at the start of {@code data}. */
    static JumbfBox parse(byte[] data) {
        try {
            return parse(ByteBuffer.wrap(data), data);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a well-formed JUMBF manifest store: " + e.getMessage(), e);
        }
    }

    private static JumbfBox parse(ByteBuffer in, byte[] data) {
        int start = in.position();
        int size = in.getInt();
        String boxType = ascii(in, 4);
        if (!boxType.equals("jumb") || size < 8) {
            throw new IllegalArgumentException("expected a jumb box at " + start + ", found '" + boxType + "'");
        }
        int end = start + size;
        int descriptionSize = in.getInt();
        if (!ascii(in, 4).equals("jumd")) {
            throw new IllegalArgumentException("a jumb box at " + start + " does not start with its description");
        }
        int descriptionEnd = in.position() - 8 + descriptionSize;
        byte[] uuid = new byte[16];
        in.get(uuid);
        int toggles = in.get() & 0xff;
        String label = "";
        if ((toggles & 0x02) != 0) {
            int from = in.position();
            while (in.get() != 0) {
                // to the label's terminating zero
            }
            label = new String(data, from, in.position() - from - 1, StandardCharsets.UTF_8);
        }
        in.position(descriptionEnd);
        List<JumbfBox> children = new ArrayList<>();
        byte[] content = null;
        while (in.position() < end) {
            int at = in.position();
            int childSize = in.getInt();
            String childType = ascii(in, 4);
            in.position(at);
            if (childType.equals("jumb")) {
                children.add(parse(in, data));
            } else {
                content = content == null ? Arrays.copyOfRange(data, at + 8, at + childSize) : content;
                in.position(at + childSize);
            }
        }
        return new JumbfBox(HexFormat.of().formatHex(uuid).toUpperCase(), label, Arrays.copyOfRange(data, start + 8, end), children, content);
    }

    Optional<JumbfBox> child(String childLabel) {
        return children.stream().filter(c -> c.label().equals(childLabel)).findFirst();
    }

    private static String ascii(ByteBuffer in, int n) {
        byte[] bytes = new byte[n];
        in.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
