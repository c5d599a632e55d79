package facefarm.worker.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a float initializer straight from an ONNX file, as FaceFusion's {@code get_static_model_initializer} does
 * ({@code onnx.load(path).graph.initializer[-1]}): inswapper keeps its 512x512 embedding map there. ONNX Runtime does
 * not expose initializers, so this walks the protobuf (ModelProto.graph = 7, GraphProto.initializer = 5,
 * TensorProto dims = 1, data_type = 2, float_data = 4, raw_data = 9) over a memory-mapped file.
 */
public final class OnnxInitializers {
    private static final int FLOAT = 1;
    private static final int FLOAT16 = 10;

    private OnnxInitializers() {
    }

    /** A float tensor's shape and values. */
    public record Tensor(long[] shape, float[] values) {
    }

    /** The graph's last initializer, which must be a float tensor. */
    public static Tensor last(Path model) {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            MappedByteBuffer file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            ByteBuffer graph = field(file, 7, false);
            if (graph == null) {
                throw new IllegalArgumentException(model + " is not an ONNX model: it has no graph");
            }
            ByteBuffer tensor = field(graph, 5, true);
            if (tensor == null) {
                throw new IllegalArgumentException(model + " has no initializers");
            }
            return tensor(tensor, model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
    }

    /** The (first or last) length-delimited field with this number, as a slice; null when there is none. */
    private static ByteBuffer field(ByteBuffer message, int number, boolean last) {
        ByteBuffer in = message.duplicate();
        ByteBuffer found = null;
        while (in.hasRemaining()) {
            long tag = varint(in);
            int wire = (int) (tag & 7);
            if (wire == 2) {
                int length = (int) varint(in);
                if ((tag >>> 3) == number) {
                    found = in.slice(in.position(), length);
                    if (!last) {
                        return found;
                    }
                }
                in.position(in.position() + length);
            } else {
                skip(in, wire);
            }
        }
        return found;
    }

    private static Tensor tensor(ByteBuffer message, Path model) {
        ByteBuffer in = message.duplicate();
        long[] shape = new long[0];
        int type = 0;
        float[] values = null;
        ByteBuffer data = null;
        boolean packedHalves = false;
        java.util.List<Float> loose = new java.util.ArrayList<>();
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (number == 1 && wire == 0) {
                shape = append(shape, varint(in));
            } else if (number == 1 && wire == 2) {
                int end = (int) varint(in) + in.position();
                while (in.position() < end) {
                    shape = append(shape, varint(in));
                }
            } else if (number == 2 && wire == 0) {
                type = (int) varint(in);
            } else if (number == 4 && wire == 5) {
                loose.add(in.order(ByteOrder.LITTLE_ENDIAN).getFloat());
            } else if ((number == 4 || number == 9) && wire == 2) {
                int length = (int) varint(in);
                data = in.slice(in.position(), length).order(ByteOrder.LITTLE_ENDIAN);
                packedHalves = false;
                in.position(in.position() + length);
            } else if (number == 5 && wire == 2) {
                // float16 tensors may keep their values as packed int32_data, one varint per half
                int length = (int) varint(in);
                data = in.slice(in.position(), length);
                packedHalves = true;
                in.position(in.position() + length);
            } else {
                skip(in, wire);
            }
        }
        if (type == FLOAT && data != null) {
            // packed float_data and raw_data both hold little-endian float32s
            values = new float[data.remaining() / 4];
            data.asFloatBuffer().get(values);
        } else if (type == FLOAT16 && data != null) {
            // half-precision models (inswapper_128_fp16) keep their embedding map in halves
            java.util.List<Float> halves = new java.util.ArrayList<>();
            while (data.hasRemaining()) {
                short bits = packedHalves ? (short) varint(data) : data.getShort();
                halves.add(ai.onnxruntime.platform.Fp16Conversions.fp16ToFloat(bits));
            }
            values = new float[halves.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = halves.get(i);
            }
        } else if (type != FLOAT) {
            throw new IllegalArgumentException("the last initializer of " + model + " is neither float32 nor float16 (ONNX type " + type + ")");
        }
        if (values == null) {
            values = new float[loose.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = loose.get(i);
            }
        }
        return new Tensor(shape, values);
    }

    private static long[] append(long[] shape, long dim) {
        long[] longer = java.util.Arrays.copyOf(shape, shape.length + 1);
        longer[shape.length] = dim;
        return longer;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed protobuf varint");
    }

    private static void skip(ByteBuffer in, int wire) {
        switch (wire) {
            case 0 -> varint(in);
            case 1 -> in.position(in.position() + 8);
            case 2 -> {
                int length = (int) varint(in);
                in.position(in.position() + length);
            }
            case 5 -> in.position(in.position() + 4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
        }
    }
}
