package facefarm.worker.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import facefarm.worker.inference.OrtRuntime;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/** A detector model run through ONNX Runtime: shared pre-processing, the session, the model's own decoding. */
public final class OnnxFaceDetector implements FaceDetector {
    private final DetectorModel model;
    private final int size;
    private final OrtSession session;
    private final String inputName;

    public OnnxFaceDetector(DetectorModel model, Path file, int size) {
        if (!model.sizes().contains(size)) {
            throw new IllegalArgumentException(model.optionName() + " accepts detector sizes " + model.sizes() + ", not " + size);
        }
        this.model = model;
        this.size = size;
        this.session = OrtRuntime.open(file);
        this.inputName = session.getInputNames().iterator().next();
        if (session.getNumOutputs() != model.outputs()) {
            close();
            throw new IllegalArgumentException(file + " has " + session.getNumOutputs() + " outputs; a " + model.optionName() + " model has " + model.outputs());
        }
    }

    @Override
    public List<Face> candidates(Mat frame, float scoreThreshold) {
        DetectorInput input = DetectorInput.of(frame, size, model.normalise());
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(input.nchw()), new long[] {1, 3, size, size});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] outputs = new float[model.outputs()][];
            for (int i = 0; i < outputs.length; i++) {
                FloatBuffer buffer = ((OnnxTensor) result.get(i)).getFloatBuffer();
                outputs[i] = new float[buffer.remaining()];
                buffer.get(outputs[i]);
            }
            return model.decode(outputs, size, input.ratioX(), input.ratioY(), scoreThreshold);
        } catch (OrtException e) {
            throw new IllegalStateException(model.optionName() + " inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> modelIds() {
        return List.of(model.modelId());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
