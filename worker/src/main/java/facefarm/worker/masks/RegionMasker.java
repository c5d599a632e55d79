package facefarm.worker.masks;

import facefarm.worker.inference.OnnxModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

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

    private final OnnxModel session;

    public RegionMasker(Path file) {
        this.session = new OnnxModel("region mask", file);
    }

    public static float[] prepare(Mat crop) {
        byte[] bgr = FaceMasks.bgrAt(crop, SIZE);
        int plane = SIZE * SIZE;
        float[] nchw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                nchw[c * plane + i] = ((bgr[3 * i + 2 - c] & 0xff) / 255f - MEAN[c]) / STD[c];
            }
        }
        return nchw;
    }

    public Mat mask(Mat crop, List<String> regions) {
        return decode(session.run(prepare(crop), 1, 3, SIZE, SIZE)[0], regions, crop.cols(), crop.rows());
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
        return FaceMasks.fromModelMap(values, SIZE, width, height);
    }

    @Override
    public void close() {
        session.close();
    }
}
