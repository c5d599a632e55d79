package facefarm.worker.analysis;

import java.nio.ByteBuffer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * FaceFusion's common detector pre-processing: shrink the frame to fit the model size keeping its aspect ratio
 * (never enlarge), place it at the top-left of a zero canvas, and lay it out as NCHW float32 in BGR order.
 * {@code ratioX/ratioY} map model coordinates back to the frame.
 */
public record DetectorInput(float[] nchw, int size, float ratioX, float ratioY) {

    /** @param normalise maps a 0-255 channel value to what the model expects */
    public static DetectorInput of(Mat frame, int size, ValueMap normalise) {
        int width = frame.cols();
        int height = frame.rows();
        Mat fitted = frame;
        if (width > size || height > size) {
            double scale = Math.min((double) size / width, (double) size / height);
            fitted = new Mat();
            opencv_imgproc.resize(frame, fitted, new Size((int) (width * scale), (int) (height * scale)));
        }
        int fw = fitted.cols();
        int fh = fitted.rows();
        float[] nchw = new float[3 * size * size];
        float zero = normalise.apply(0);
        java.util.Arrays.fill(nchw, zero);
        byte[] bgr = new byte[fw * fh * 3];
        ((ByteBuffer) fitted.createBuffer()).get(bgr);
        int plane = size * size;
        for (int y = 0; y < fh; y++) {
            for (int x = 0; x < fw; x++) {
                int src = (y * fw + x) * 3;
                int dst = y * size + x;
                nchw[dst] = normalise.apply(bgr[src] & 0xff);
                nchw[plane + dst] = normalise.apply(bgr[src + 1] & 0xff);
                nchw[2 * plane + dst] = normalise.apply(bgr[src + 2] & 0xff);
            }
        }
        if (fitted != frame) {
            fitted.close();
        }
        return new DetectorInput(nchw, size, (float) width / fw, (float) height / fh);
    }

    @FunctionalInterface
    public interface ValueMap {
        float apply(int value);

        ValueMap RAW = v -> v;
    }
}
