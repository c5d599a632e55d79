package facefarm.worker.processors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Is the blend's boundary visible? Around the face (16 sectors by angle from the mask's centre), the step in lightness
 * L and in colour (a, b) across the middle of the blend's transition (from weight 0.25-0.5 to 0.5-0.75, two bands a few
 * pixels wide) is measured on the output and on the untouched frame. A pasted face leaves a line there; a seamless
 * blend changes no faster than the scene does. The swap adds a seam where its step exceeds the frame's own by more than
 * the scene's local variation there (the standard deviation of the outer band).
 */
final class SeamProbe {
    static final int SECTORS = 16;

    /** Per sector: the output's step minus the frame's, and the frame's local variation; NaN where a band is empty. */
    record Sector(double excess, double variation) {
    }

    static Sector[] measure(Mat original, Mat output, Mat alpha, int boxX, int boxY) {
        int width = alpha.cols();
        int height = alpha.rows();
        float[] a = new float[width * height];
        ((FloatBuffer) alpha.createBuffer()).get(a);
        float[] lab0 = lab(original);
        float[] lab1 = lab(output);
        int frameWidth = original.cols();
        double cx = 0;
        double cy = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > 0.5) {
                cx += i % width;
                cy += i / width;
                n++;
            }
        }
        cx /= n;
        cy /= n;
        // per sector, per band (outside, inside), per channel: sums for the output and the frame, and squares for it
        double[][][] out = new double[SECTORS][2][4];
        double[][][] frame = new double[SECTORS][2][4];
        double[][] squares = new double[SECTORS][3];
        for (int i = 0; i < a.length; i++) {
            int band = a[i] >= 0.25 && a[i] < 0.5 ? 0 : a[i] >= 0.5 && a[i] < 0.75 ? 1 : -1;
            if (band < 0) {
                continue;
            }
            int x = i % width;
            int y = i / width;
            double angle = Math.atan2(y - cy, x - cx) + Math.PI;
            int sector = Math.min(SECTORS - 1, (int) (angle / (2 * Math.PI) * SECTORS));
            int p = 3 * ((y + boxY) * frameWidth + x + boxX);
            for (int c = 0; c < 3; c++) {
                out[sector][band][c] += lab1[p + c];
                frame[sector][band][c] += lab0[p + c];
                if (band == 0) {
                    squares[sector][c] += lab0[p + c] * lab0[p + c];
                }
            }
            out[sector][band][3]++;
            frame[sector][band][3]++;
        }
        Sector[] result = new Sector[SECTORS];
        for (int s = 0; s < SECTORS; s++) {
            double outside = frame[s][0][3];
            double inside = frame[s][1][3];
            if (outside < 20 || inside < 20) {
                result[s] = new Sector(Double.NaN, Double.NaN);
                continue;
            }
            double excess = 0;
            double variation = 0;
            for (int c = 0; c < 3; c++) {
                double stepOut = out[s][1][c] / inside - out[s][0][c] / outside;
                double stepFrame = frame[s][1][c] / inside - frame[s][0][c] / outside;
                excess = Math.max(excess, Math.abs(stepOut) - Math.abs(stepFrame));
                double mean = frame[s][0][c] / outside;
                variation = Math.max(variation, Math.sqrt(Math.max(0, squares[s][c] / outside - mean * mean)));
            }
            result[s] = new Sector(excess, variation);
        }
        return result;
    }

    /** 8-bit OpenCV Lab, as floats. */
    private static float[] lab(Mat bgr) {
        try (Mat lab = new Mat()) {
            opencv_imgproc.cvtColor(bgr, lab, opencv_imgproc.COLOR_BGR2Lab);
            byte[] bytes = new byte[(int) lab.total() * 3];
            ((ByteBuffer) lab.createBuffer()).get(bytes);
            float[] out = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = bytes[i] & 0xff;
            }
            return out;
        }
    }
}
