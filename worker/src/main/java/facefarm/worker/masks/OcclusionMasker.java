package facefarm.worker.masks;

import facefarm.worker.inference.OnnxModel;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** XSeg occlusion (xseg_1/2/3): the crop at 256x256, NHWC, BGR / 255; the 256x256 map is clipped, resized, smoothed. */
public final class OcclusionMasker implements AutoCloseable {
    public static final int SIZE = 256;

    private final OnnxModel session;

    public OcclusionMasker(Path file) {
        this.session = new OnnxModel("occlusion mask", file);
    }

    public static float[] prepare(Mat crop) {
        byte[] bgr = FaceMasks.bgrAt(crop, SIZE);
        float[] nhwc = new float[bgr.length];
        for (int i = 0; i < bgr.length; i++) {
            nhwc[i] = (bgr[i] & 0xff) / 255f;
        }
        return nhwc;
    }

    public Mat mask(Mat crop) {
        return decode(session.run(prepare(crop), 1, SIZE, SIZE, 3)[0], crop.cols(), crop.rows());
    }

    public static Mat decode(float[] values, int width, int height) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(0, Math.min(1, values[i]));
        }
        return FaceMasks.fromModelMap(values, SIZE, width, height);
    }

    @Override
    public void close() {
        session.close();
    }
}
