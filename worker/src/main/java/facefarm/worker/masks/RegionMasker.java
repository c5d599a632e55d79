package facefarm.worker.masks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import facefarm.worker.inference.OrtRuntime;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * BiSeNet face parsing (bisenet_resnet_18/34): the crop at 512x512, RGB / 255 with ImageNet mean and std; the class of
 * each pixel is the argmax of the logits, kept where it is one of the chosen regions; resized and smoothed.
 */
public final class RegionMasker implements AutoCloseable {
    public static final int SIZE = 512;
    public static final Map<String, Integer> REGIONS = Map.of("skin", 1, "left-eyebrow", 2, "right-eyebrow", 3, "left-eye", 4, "right-eye", 5,
            "glasses", 6, "nose", 10, "mouth", 11, "upper-lip", 12, "lower-lip", 13);
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final OrtSession session;
    private final String inputName;

    public RegionMasker(Path file) {
        this.session = OrtRuntime.open(file);
        this.inputName = session.getInputNames().iterator().next();
    }

    public static float[] prepare(Mat crop) {
        float[] nchw = new float[3 * SIZE * SIZE];
        try (Mat resized = new Mat()) {
            Mat source = crop;
            if (crop.cols() != SIZE || crop.rows() != SIZE) {
                opencv_imgproc.resize(crop, resized, new Size(SIZE, SIZE));
                source = resized;
            }
            byte[] bgr = new byte[SIZE * SIZE * 3];
            ((ByteBuffer) source.createBuffer()).get(bgr);
            int plane = SIZE * SIZE;
            for (int i = 0; i < plane; i++) {
                for (int c = 0; c < 3; c++) {
                    nchw[c * plane + i] = ((bgr[3 * i + 2 - c] & 0xff) / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return nchw;
    }

    public Mat mask(Mat crop, List<String> regions) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(prepare(crop)), new long[] {1, 3, SIZE, SIZE});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return decode(logits, regions, crop.cols(), crop.rows());
        } catch (OrtException e) {
            throw new IllegalStateException("region mask inference failed: " + e.getMessage(), e);
        }
    }

    public static Mat decode(float[] logits, List<String> regions, int width, int height) {
        int plane = SIZE * SIZE;
        int classes = logits.length / plane;
        boolean[] wanted = new boolean[classes];
        for (String region : regions) {
            Integer id = REGIONS.get(region);
            if (id == null) {
                throw new IllegalArgumentException("unknown face mask region '" + region + "' (known: " + String.join(", ", REGIONS.keySet()) + ")");
            }
            wanted[id] = true;
        }
        float[] values = new float[plane];
        for (int i = 0; i < plane; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[c * plane + i] > logits[best * plane + i]) {
                    best = c;
                }
            }
            values[i] = wanted[best] ? 1f : 0f;
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
