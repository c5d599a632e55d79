package facefarm.worker.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The session step of every translator (pre-processing, session, post-processing): float inputs in (converted to the
 * element type the model declares: float, float16 or double), every output back as a flat float array in the
 * model's output order.
 */
public final class OnnxModel implements AutoCloseable {
    private final String name;
    private final OrtSession session;
    private final String inputName;
    private final boolean acceptsBatch;

    public OnnxModel(String name, Path file) {
        this.name = name;
        this.session = OrtRuntime.open(file);
        this.inputName = session.getInputNames().iterator().next();
        TensorInfo first = tensorInfoOrNull(inputName);
        this.acceptsBatch = first != null && first.getShape().length > 0 && first.getShape()[0] < 0;
    }

    /** Whether the model's first input dimension is free, so several items can share one run. */
    public boolean acceptsBatch() {
        return acceptsBatch;
    }

    public String name() {
        return name;
    }

    public int outputCount() {
        return (int) session.getNumOutputs();
    }

    /** One named input of a model with several (a swapper's source and target, CodeFormer's weight). */
    public record Input(String name, float[] values, long... shape) {
    }

    /** The model's input names, in declaration order. */
    public List<String> inputNames() {
        return List.copyOf(session.getInputNames());
    }

    /** The declared shape of an input (-1 where a dimension is free). */
    public long[] inputShape(String input) {
        return tensorInfo(input).getShape();
    }

    private TensorInfo tensorInfo(String input) {
        TensorInfo tensor = tensorInfoOrNull(input);
        if (tensor == null) {
            throw new IllegalArgumentException(name + " has no tensor input '" + input + "' (inputs: " + session.getInputNames() + ")");
        }
        return tensor;
    }

    private TensorInfo tensorInfoOrNull(String input) {
        try {
            var info = session.getInputInfo().get(input);
            return info != null && info.getInfo() instanceof TensorInfo tensor ? tensor : null;
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the inputs of " + name, e);
        }
    }

    public float[][] run(float[] input, long... shape) {
        return run(List.of(new Input(inputName, input, shape)));
    }

    public float[][] run(List<Input> inputs) {
        Map<String, OnnxTensor> tensors = new java.util.LinkedHashMap<>();
        try {
            for (Input input : inputs) {
                tensors.put(input.name(), tensor(input));
            }
            try (OrtSession.Result result = session.run(tensors)) {
                float[][] outputs = new float[(int) result.size()][];
                for (int i = 0; i < outputs.length; i++) {
                    OnnxTensor tensor = (OnnxTensor) result.get(i);
                    FloatBuffer buffer = switch (tensor.getInfo().type) {
                        case FLOAT16 -> ai.onnxruntime.platform.Fp16Conversions.convertFp16BufferToFloatBuffer(tensor.getShortBuffer());
                        case DOUBLE -> {
                            java.nio.DoubleBuffer doubles = tensor.getDoubleBuffer();
                            FloatBuffer floats = FloatBuffer.allocate(doubles.remaining());
                            while (doubles.hasRemaining()) {
                                floats.put((float) doubles.get());
                            }
                            yield floats.flip();
                        }
                        default -> tensor.getFloatBuffer();
                    };
                    outputs[i] = new float[buffer.remaining()];
                    buffer.get(outputs[i]);
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(name + " inference failed: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(Input input) throws OrtException {
        var environment = OrtRuntime.environment();
        return switch (tensorInfo(input.name()).type) {
            case FLOAT16 -> OnnxTensor.createTensor(environment,
                    ai.onnxruntime.platform.Fp16Conversions.convertFloatBufferToFp16Buffer(FloatBuffer.wrap(input.values())), input.shape(),
                    ai.onnxruntime.OnnxJavaType.FLOAT16);
            case DOUBLE -> {
                double[] doubles = new double[input.values().length];
                for (int i = 0; i < doubles.length; i++) {
                    doubles[i] = input.values()[i];
                }
                yield OnnxTensor.createTensor(environment, java.nio.DoubleBuffer.wrap(doubles), input.shape());
            }
            default -> OnnxTensor.createTensor(environment, FloatBuffer.wrap(input.values()), input.shape());
        };
    }

    /**
     * Runs items of one shape ({@code itemShape} starts with 1): in batches of up to {@code maxBatch} when the model
     * accepts a batch, else one by one. Returns every item's outputs, in order.
     */
    public List<float[][]> runEach(List<float[]> items, int maxBatch, long... itemShape) {
        List<float[][]> results = new ArrayList<>(items.size());
        if (!acceptsBatch || maxBatch <= 1) {
            for (float[] item : items) {
                results.add(run(item, itemShape));
            }
            return results;
        }
        for (int from = 0; from < items.size(); from += maxBatch) {
            List<float[]> batch = items.subList(from, Math.min(items.size(), from + maxBatch));
            int itemLength = batch.get(0).length;
            float[] joined = new float[itemLength * batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i), 0, joined, i * itemLength, itemLength);
            }
            long[] shape = itemShape.clone();
            shape[0] = batch.size();
            float[][] outputs = run(joined, shape);
            for (int i = 0; i < batch.size(); i++) {
                float[][] mine = new float[outputs.length][];
                for (int o = 0; o < outputs.length; o++) {
                    int length = outputs[o].length / batch.size();
                    mine[o] = Arrays.copyOfRange(outputs[o], i * length, (i + 1) * length);
                }
                results.add(mine);
            }
        }
        return results;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the " + name + " session", e);
        }
    }
}
