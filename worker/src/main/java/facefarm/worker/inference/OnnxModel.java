package facefarm.worker.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The session step of every translator (pre-processing, session, post-processing): one float input in, every output
 * back as a flat float array in the model's output order.
 */
public final class OnnxModel implements AutoCloseable {
    private final String name;
    private final OrtSession session;
    private final String inputName;

    public OnnxModel(String name, Path file) {
        this.name = name;
        this.session = OrtRuntime.open(file);
        this.inputName = session.getInputNames().iterator().next();
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

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the " + name + " session", e);
        }
    }
}
