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
 * The session step of every translator (pre-processing, session, post-processing): one float input in, every output
 * back as a flat float array in the model's output order.
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
        this.acceptsBatch = firstDimensionIsFree(session, inputName);
    }

    private static boolean firstDimensionIsFree(OrtSession session, String input) {
        try {
            if (session.getInputInfo().get(input).getInfo() instanceof TensorInfo tensor) {
                long[] shape = tensor.getShape();
                return shape.length > 0 && shape[0] < 0;
            }
            return false;
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the input shape of " + input, e);
        }
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

    public float[][] run(float[] input, long... shape) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] outputs = new float[(int) result.size()][];
            for (int i = 0; i < outputs.length; i++) {
                FloatBuffer buffer = ((OnnxTensor) result.get(i)).getFloatBuffer();
                outputs[i] = new float[buffer.remaining()];
                buffer.get(outputs[i]);
            }
            return outputs;
        } catch (OrtException e) {
            throw new IllegalStateException(name + " inference failed: " + e.getMessage(), e);
        }
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
