package facefarm.worker.provenance.c2pa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CBOR of a C2PA manifest (what {@link Cbor} writes, and what other signers write: definite and indefinite
 * lengths, tags, floats) into maps, lists, strings, byte arrays, longs, doubles, booleans and null. Tags are
 * dropped, their content kept. Protected COSE headers are byte strings, read again on their own.
 */
final class CborReader {
    private final ByteBuffer in;

    private CborReader(byte[] data) {
        this.in = ByteBuffer.wrap(data);
    }

    static Object decode(byte[] data) {
        try {
            return new CborReader(data).read();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not well-formed CBOR: " + e.getMessage(), e);
        }
    }

    private Object read() {
        int initial = in.get() & 0xff;
        int major = initial >> 5;
        int info = initial & 0x1f;
        if (major == 7) {
            return simple(info);
        }
        if (info == 31) {
            return indefinite(major);
        }
        long n = argument(info);
        return switch (major) {
            case 0 -> n;
            case 1 -> -1 - n;
            case 2 -> bytes((int) n);
            case 3 -> new String(bytes((int) n), StandardCharsets.UTF_8);
            case 4 -> {
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    list.add(read());
                }
                yield list;
            }
            case 5 -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (long i = 0; i < n; i++) {
                    map.put(read(), read());
                }
                yield map;
            }
            case 6 -> read();
            default -> throw new IllegalArgumentException("major type " + major);
        };
    }

    private Object indefinite(int major) {
        if (major == 4 || major == 5) {
            List<Object> list = new ArrayList<>();
            Map<Object, Object> map = new LinkedHashMap<>();
            while ((in.get(in.position()) & 0xff) != 0xff) {
                if (major == 4) {
                    list.add(read());
                } else {
                    map.put(read(), read());
                }
            }
            in.get();
            return major == 4 ? list : map;
        }
        if (major == 2 || major == 3) {
            java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
            while ((in.get(in.position()) & 0xff) != 0xff) {
                Object piece = read();
                joined.writeBytes(piece instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) piece);
            }
            in.get();
            return major == 2 ? joined.toByteArray() : joined.toString(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("indefinite length on major type " + major);
    }

    private Object simple(int info) {
        return switch (info) {
            case 20 -> false;
            case 21 -> true;
            case 22, 23 -> null;
            case 25 -> half(in.getShort());
            case 26 -> (double) in.getFloat();
            case 27 -> in.getDouble();
            default -> throw new IllegalArgumentException("simple value " + info);
        };
    }

    /** An IEEE 754 half-precision float (Java 17 has no reader for them). */
    private static double half(short bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double value = exponent == 0 ? fraction * Math.pow(2, -24)
                : exponent == 31 ? (fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
        return sign == 1 ? -value : value;
    }

    private long argument(int info) {
        if (info < 24) {
            return info;
        }
        return switch (info) {
            case 24 -> in.get() & 0xffL;
            case 25 -> in.getShort() & 0xffffL;
            case 26 -> in.getInt() & 0xffffffffL;
            case 27 -> in.getLong();
            default -> throw new IllegalArgumentException("argument " + info);
        };
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        in.get(bytes);
        return bytes;
    }
}
