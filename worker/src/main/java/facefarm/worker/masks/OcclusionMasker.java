package facefarm.worker.masks;

import facefarm.worker.inference.OnnxModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** XSeg occlusion (xseg_1/2/3): the crop at 256x256, NHWC, BGR / 255; the 256x256 map is clipped, resized, smoothed. */
public final class OcclusionMasker implements AutoCloseable {
    public static final int SIZE = 256;

    private final OnnxModel session;

    public OcclusionMasker(Path file) {
        this.session = new OnnxModel("occlusion mask", file);
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
