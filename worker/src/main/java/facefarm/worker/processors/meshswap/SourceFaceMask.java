package facefarm.worker.processors.meshswap;

import facefarm.worker.analysis.Histograms;
import facefarm.worker.analysis.MeshShapes;
import facefarm.worker.analysis.Point;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Which pixels of a source photo are its face. The mesh's triangulation spans the points' convex hull, and a face's
 * silhouette is not convex: at the cheeks and temples the hull takes in the photo's background or hair, which a
 * turned target face stretches into plain view. Pixels whose colour is far from the face's skin and that connect to
 * the outside of the hull are cut away; the eyes, brows and mouth are not skin-coloured either, but skin surrounds
 * them, so they stay.
 */
public final class SourceFaceMask {
    /**
     * How far (Lab a and b, 8-bit scale) a pixel's chroma may be from the skin's median and count as skin, at least,
     * and in robust standard deviations of the skin's own chroma: shading changes lightness far more than chroma.
     */
    static final double MIN_CHROMA_DISTANCE = 10;
    static final double CHROMA_DEVIATIONS = 3.5;
    /** How far inside the hull the skin's colour is sampled, in eye-corner distances: the cheeks, nose and chin. */
    static final double SAMPLE_INSET = 0.25;

    private SourceFaceMask() {
    }

    /** 255 where the source's face is, 0 elsewhere (CV_8UC1, the source's size). */
    public static Mat of(Mat source, List<Point> points) {
        int width = source.cols();
        int height = source.rows();
        double eyeSpan = Math.max(8, SwapMask.eyeSpan(points));
        Mat face = new Mat(height, width, opencv_core.CV_8UC1, new Scalar(0));
        try (Mat lab = new Mat(); Mat sample = new Mat()) {
            MeshShapes.fillHull(points, 0, 0, face);
            int inset = Math.max(1, (int) Math.round(2 * SAMPLE_INSET * eyeSpan)) | 1;
            try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(inset, inset))) {
                opencv_imgproc.erode(face, sample, kernel);
            }
            opencv_imgproc.cvtColor(source, lab, opencv_imgproc.COLOR_BGR2Lab);
            byte[] pixels = new byte[width * height * 3];
            byte[] inHull = new byte[width * height];
            byte[] inSample = new byte[width * height];
            ((ByteBuffer) lab.createBuffer()).get(pixels);
            ((ByteBuffer) face.createBuffer()).get(inHull);
            ((ByteBuffer) sample.createBuffer()).get(inSample);
            double[] skin = skinChroma(pixels, inSample);
            if (skin == null) {
                return face;
            }
            // candidates for removal: outside the hull, or inside it but not skin-coloured
            byte[] candidate = new byte[(width + 2) * (height + 2)];
            Arrays.fill(candidate, (byte) 255);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    double da = (pixels[3 * i + 1] & 0xff) - skin[0];
                    double db = (pixels[3 * i + 2] & 0xff) - skin[1];
                    boolean skinColoured = Math.hypot(da, db) <= skin[2];
                    if (inHull[i] != 0 && skinColoured) {
                        candidate[(y + 1) * (width + 2) + x + 1] = 0;
                    }
                }
            }
            try (Mat padded = new Mat(height + 2, width + 2, opencv_core.CV_8UC1)) {
                ((ByteBuffer) padded.createBuffer()).put(candidate);
                // the padding's border connects to everything outside: fill from a corner marks what reaches it
                opencv_imgproc.floodFill(padded, new org.bytedeco.opencv.opencv_core.Point(0, 0), new Scalar(128));
                ((ByteBuffer) padded.createBuffer()).get(candidate);
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    if ((candidate[(y + 1) * (width + 2) + x + 1] & 0xff) == 128) {
                        inHull[i] = 0;
                    }
                }
            }
            ((ByteBuffer) face.createBuffer()).put(inHull);
        }
        return face;
    }

    /** The skin's median a and b and the chroma distance that still counts as skin; null with no sample. */
    private static double[] skinChroma(byte[] lab, byte[] sample) {
        int[] a = new int[256];
        int[] b = new int[256];
        int count = 0;
        for (int i = 0; i < sample.length; i++) {
            if (sample[i] != 0) {
                a[lab[3 * i + 1] & 0xff]++;
                b[lab[3 * i + 2] & 0xff]++;
                count++;
            }
        }
        if (count < 16) {
            return null;
        }
        int medianA = Histograms.median(a, count);
        int medianB = Histograms.median(b, count);
        int[] deviation = new int[512];
        for (int i = 0; i < sample.length; i++) {
            if (sample[i] != 0) {
                deviation[(int) Math.round(Math.hypot((lab[3 * i + 1] & 0xff) - medianA, (lab[3 * i + 2] & 0xff) - medianB))]++;
            }
        }
        // the median chroma distance of the skin from its own median, over 1.1774 (a 2-D normal's median radius in sigmas)
        double sigma = Histograms.median(deviation, count) / 1.1774;
        return new double[] {medianA, medianB, Math.max(MIN_CHROMA_DISTANCE, CHROMA_DEVIATIONS * sigma)};
    }
}
