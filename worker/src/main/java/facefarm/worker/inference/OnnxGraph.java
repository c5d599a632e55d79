package facefarm.worker.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models with the same input/output names, shapes and types as a real model, with behaviour the
 * caller chooses (echo the input, return planted tensors): contract tests, and the benchmark's contract-shaped
 * swappers. Only the few protobuf fields ONNX needs.
 */
public final class OnnxGraph {
    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    public OnnxGraph input(String name, int type, long... shape) {
        inputs.add(valueInfo(name, type, shape));
        return this;
    }

    public OnnxGraph output(String name, int type, long... shape) {
        outputs.add(valueInfo(name, type, shape));
        return this;
    }

    /** A float constant stored as an initializer (the real models keep weights, e.g. inswapper's emap, this way). */
    public OnnxGraph initializer(String name, float[] values, long... shape) {
        initializers.add(tensor(name, values, shape));
        return this;
    }

    /** A float16 constant stored as raw halves, as half-precision models keep their weights. */
    public OnnxGraph halfInitializer(String name, float[] values, long... shape) {
        Proto tensor = new Proto();
        for (long d : shape) {
            tensor.varint(1, d);
        }
        tensor.varint(2, FLOAT16);
        tensor.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putShort(ai.onnxruntime.platform.Fp16Conversions.floatToFp16(v));
        }
        tensor.bytes(9, raw.array());
        initializers.add(tensor.bytes());
        return this;
    }

    public OnnxGraph node(String opType, List<String> in, List<String> out) {
        Proto node = new Proto();
        in.forEach(i -> node.string(1, i));
        out.forEach(o -> node.string(2, o));
        node.string(3, opType + "_" + nodes.size());
        node.string(4, opType);
        nodes.add(node.bytes());
        return this;
    }

    /** output = input (same shape). */
    public OnnxGraph identity(String in, String out) {
        return node("Identity", List.of(in), List.of(out));
    }

    /** output = a planted constant; the inputs are read only so the runtime keeps them. */
    public OnnxGraph constant(String out, float[] values, long... shape) {
        String name = out + "_value";
        initializer(name, values, shape);
        return identity(name, out);
    }

    public byte[] bytes() {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, "facefarm-test");
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 17);
        Proto model = new Proto();
        model.varint(1, 8);
        model.string(2, "facefarm-test");
        model.message(7, graph.bytes());
        model.message(8, opset.bytes());
        return model.bytes();
    }

    public Path write(Path file) {
        try {
            Files.write(file, bytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] valueInfo(String name, int type, long... shape) {
        Proto dims = new Proto();
        for (long d : shape) {
            Proto dim = new Proto();
            if (d < 0) {
                dim.string(2, "n");
            } else {
                dim.varint(1, d);
            }
            dims.message(1, dim.bytes());
        }
        Proto tensorType = new Proto();
        tensorType.varint(1, type);
        tensorType.message(2, dims.bytes());
        Proto typeProto = new Proto();
        typeProto.message(1, tensorType.bytes());
        Proto info = new Proto();
        info.string(1, name);
        info.message(2, typeProto.bytes());
        return info.bytes();
    }

    private static byte[] tensor(String name, float[] values, long... shape) {
        Proto tensor = new Proto();
        for (long d : shape) {
            tensor.varint(1, d);
        }
        tensor.varint(2, FLOAT);
        tensor.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        tensor.bytes(9, raw.array());
        return tensor.bytes();
    }

    /** Protobuf wire format: varints and length-delimited fields are all ONNX needs here. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] value) {
            bytes(field, value);
        }

        void bytes(int field, byte[] value) {
            raw(((long) field << 3) | 2);
            raw(value.length);
            out.writeBytes(value);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
