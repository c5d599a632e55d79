package facefarm.worker.processors;

import java.nio.ByteBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * How a swapper or enhancer takes and gives its RGB crop: x / 255, then (x - mean) / std per channel. UNIT and
 * IMAGENET outputs are read as [0, 1]; HALF outputs are mapped back from [-1, 1].
 */
public enum CropRange {
    UNIT(new float[] {0, 0, 0}, new float[] {1, 1, 1}),
    HALF(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}),
    IMAGENET(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;

    CropRange(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** A BGR crop as the model's NCHW RGB input. */
    public float[] tensor(Mat crop) {
        int plane = crop.cols() * crop.rows();
        byte[] bgr = new byte[plane * 3];
        ((ByteBuffer) crop.createBuffer()).get(bgr);
        float[] nchw = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                nchw[c * plane + i] = ((bgr[3 * i + 2 - c] & 0xff) / 255f - mean[c]) / std[c];
            }
        }
        return nchw;
    }

    /** The model's NCHW RGB output in this range as a BGR crop: clipped to [0, 1], x 255, rounded. */
    public Mat image(float[] chw, int size) {
        int plane = size * size;
        byte[] bgr = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = this == HALF ? chw[c * plane + i] * std[c] + mean[c] : chw[c * plane + i];
                bgr[3 * i + 2 - c] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
            }
        }
        Mat crop = new Mat(size, size, opencv_core.CV_8UC3);
        ((ByteBuffer) crop.createBuffer()).put(bgr);
        return crop;
    }
}
