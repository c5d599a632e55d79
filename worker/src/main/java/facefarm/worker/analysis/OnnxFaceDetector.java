package facefarm.worker.analysis;

import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** A detector model run through ONNX Runtime: shared pre-processing, the session, the model's own decoding. */
public final class OnnxFaceDetector implements FaceDetector {
    private final DetectorModel model;
    private final int size;
    private final OnnxModel session;

    public OnnxFaceDetector(DetectorModel model, Path file, int size) {
        if (!model.sizes().contains(size)) {
            throw new IllegalArgumentException(model.optionName() + " accepts detector sizes " + model.sizes() + ", not " + size);
        }
        this.model = model;
        this.size = size;
        this.session = new OnnxModel(model.optionName(), file);
        if (session.outputCount() != model.outputs()) {
            close();
            throw new IllegalArgumentException(file + " has " + session.outputCount() + " outputs; a " + model.optionName() + " model has " + model.outputs());
        }
    }

    @Override
    public List<Face> candidates(Mat frame, float scoreThreshold) {
        DetectorInput input = DetectorInput.of(frame, size, model.normalise());
        float[][] outputs = session.run(input.nchw(), 1, 3, size, size);
        return model.decode(outputs, size, input.ratioX(), input.ratioY(), scoreThreshold);
    }

    @Override
    public List<List<Face>> candidates(List<Mat> frames, float scoreThreshold) {
        List<DetectorInput> inputs = frames.stream().map(frame -> DetectorInput.of(frame, size, model.normalise())).toList();
        List<float[][]> outputs = session.runEach(inputs.stream().map(DetectorInput::nchw).toList(), OrtRuntime.batchSize(), 1, 3, size, size);
        List<List<Face>> faces = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            DetectorInput input = inputs.get(i);
            faces.add(model.decode(outputs.get(i), size, input.ratioX(), input.ratioY(), scoreThreshold));
        }
        return faces;
    }

    @Override
    public List<String> modelIds() {
        return List.of(model.modelId());
    }

    @Override
    public void close() {
        session.close();
    }
}
