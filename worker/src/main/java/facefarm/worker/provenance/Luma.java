package facefarm.worker.provenance;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** A frame's luma as the watermark sees it: the LL band of one Haar level over the canonical frame. */
final class Luma {
    private Luma() {
    }

    /**
     * The LL band, {@link WatermarkGrid#SIZE} square, row-major: the canonical frame's 2x2 sums halved, as the
     * orthonormal Haar transform gives them, which is twice an area-resampled luma.
     */
    static float[] band(Mat bgr) {
        try (Mat gray = new Mat(); Mat floats = new Mat(); Mat small = new Mat()) {
            opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
            gray.convertTo(floats, opencv_core.CV_32F, 2.0, 0.0);
            opencv_imgproc.resize(floats, small, new Size(WatermarkGrid.SIZE, WatermarkGrid.SIZE), 0, 0, opencv_imgproc.INTER_AREA);
            float[] band = new float[WatermarkGrid.SIZE * WatermarkGrid.SIZE];
            ((FloatBuffer) small.createBuffer()).get(band);
            return band;
        }
    }
}
