package facefarm.worker.masks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import facefarm.worker.inference.OrtRuntime;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** XSeg occlusion (xseg_1/2/3): the crop at 256x256, NHWC, BGR / 255; the 256x256 map is clipped, resized, smoothed. */
public final class OcclusionMasker implements AutoCloseable {
    public static final int SIZE = 256;

    private final OrtSession session;
    private final String inputName;

    public OcclusionMasker(Path file) {
        this.session = OrtRuntime.open(file);
        this.inputName = session.getInputNames().iterator().next();
    }

    public static float[] prepare(Mat crop) {
        float[] nhwc = new float[SIZE * SIZE * 3];
        try (Mat resized = new Mat()) {
            Mat source = crop;
            if (crop.cols() != SIZE || crop.rows() != SIZE) {
                opencv_imgproc.resize(crop, resized, new Size(SIZE, SIZE));
                source = resized;
            }
            byte[] bgr = new byte[SIZE * SIZE * 3];
            ((ByteBuffer) source.createBuffer()).get(bgr);
            for (int i = 0; i < bgr.length; i++) {
                nhwc[i] = (bgr[i] & 0xff) / 255f;
            }
        }
        return nhwc;
    }

    public Mat mask(Mat crop) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(prepare(crop)), new long[] {1, SIZE, SIZE, 3});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[SIZE * SIZE];
            out.get(values);
            return decode(values, crop.cols(), crop.rows());
        } catch (OrtException e) {
            throw new IllegalStateException("occlusion mask inference failed: " + e.getMessage(), e);
        }
    }

    public static Mat decode(float[] values, int width, int height) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(0, Math.min(1, values[i]));
        }
        Mat map = new Mat(SIZE, SIZE, opencv_core.CV_32FC1);
        ((FloatBuffer) map.createBuffer()).put(values);
        Mat mask = new Mat();
        opencv_imgproc.resize(map, mask, new Size(width, height));
        map.close();
        return FaceMasks.smoothAndRemap(mask);
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
