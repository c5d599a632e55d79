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

/** YuNet (yunet_2023_mar), FaceFusion's contract: raw 0-255 BGR at 640x640, 12 outputs, NMS at IoU 0.4. */
public final class YunetDetector implements FaceDetector {
    public static final String MODEL_ID = "yunet_2023_mar";
    public static final int INPUT_SIZE = 640;

    private final OrtSession session;
    private final String inputName;
    private final float scoreThreshold;

    public YunetDetector(Path model, float scoreThreshold) {
        this.session = OrtRuntime.open(model);
        this.inputName = session.getInputNames().iterator().next();
        this.scoreThreshold = scoreThreshold;
        if (session.getNumOutputs() != 12) {
            close();
            throw new IllegalArgumentException(model + " has " + session.getNumOutputs() + " outputs; a YuNet model has 12");
        }
    }

    @Override
    public List<Face> detect(Mat frame) {
        DetectorInput input = DetectorInput.of(frame, INPUT_SIZE, DetectorInput.ValueMap.RAW);
        long[] shape = {1, 3, INPUT_SIZE, INPUT_SIZE};
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(input.nchw()), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] outputs = new float[12][];
            for (int i = 0; i < 12; i++) {
                FloatBuffer buffer = ((OnnxTensor) result.get(i)).getFloatBuffer();
                outputs[i] = new float[buffer.remaining()];
                buffer.get(outputs[i]);
            }
            List<Face> faces = YunetDecoder.decode(outputs, INPUT_SIZE, input.ratioX(), input.ratioY(), scoreThreshold);
            return NonMaxSuppression.apply(faces, NonMaxSuppression.DEFAULT_IOU);
        } catch (OrtException e) {
            throw new IllegalStateException("YuNet inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String modelId() {
        return MODEL_ID;
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
