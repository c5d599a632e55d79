package facefarm.worker.provenance;

import facefarm.common.provenance.WatermarkPayload;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Writes the payload into a frame's luma, invisibly: the DWT-DCT scheme of {@link WatermarkGrid}. Only blocks whose
 * coefficients are not already in the right order by {@link #MARGIN} change, by the least that puts them there, and
 * none by more than {@link #MAX_SHORTFALL}, so no pixel moves by more than 14 levels of 255. The change goes back to
 * the frame through the inverse Haar step (detail bands untouched) and a smooth upscale, added equally to B, G and R,
 * which moves luma alone.
 * Each frame is marked on its own, so a chunked render is marked exactly as a one-chunk render.
 */
public final class WatermarkEmbedder {
    /**
     * The order margin, in LL units (twice a pixel level per sample). Chosen so the mark survives H.264 at CRF 28
     * after halving the size, and the frame stays above 40 dB PSNR; see WatermarkTest for the figures.
     */
    static final float MARGIN = 24f;
    /**
     * The most a block is moved, in LL units (5 times the margin). A block across a strong edge can sit far on the
     * wrong side, and moving it all the way printed a visible square on the edge (pixels moved by up to 52 levels on
     * face_2); such a block is left as it is, and the soft votes of its bit's other five copies carry the bit.
     */
    static final float MAX_SHORTFALL = 5 * MARGIN;

    private final boolean[] word;

    public WatermarkEmbedder(WatermarkPayload payload) {
        this.word = WatermarkCode.encode(payload.bits());
    }

    /** Marks a BGR frame in place. */
    public void mark(Mat bgr) {
        float[] band = Luma.band(bgr);
        float[] change = new float[band.length];
        for (int row = 0; row < WatermarkGrid.BLOCKS; row++) {
            for (int column = 0; column < WatermarkGrid.BLOCKS; column++) {
                float sign = word[WatermarkGrid.bitOf(row, column)] ? 1f : -1f;
                float shortfall = MARGIN - sign * WatermarkGrid.relation(band, row, column);
                if (shortfall > 0 && shortfall <= MAX_SHORTFALL) {
                    // adding a * PAIR moves the relation by 2a, as PAIR has a squared norm of 2
                    float amount = sign * shortfall / 2f;
                    addBlock(change, row, column, amount);
                }
            }
        }
        apply(bgr, change);
    }

    private static void addBlock(float[] change, int row, int column, float amount) {
        int k = 0;
        for (int y = 0; y < WatermarkGrid.BLOCK; y++) {
            int base = (row * WatermarkGrid.BLOCK + y) * WatermarkGrid.SIZE + column * WatermarkGrid.BLOCK;
            for (int x = 0; x < WatermarkGrid.BLOCK; x++) {
                change[base + x] += amount * WatermarkGrid.PAIR[k++];
            }
        }
    }

    /** The inverse Haar step with zero detail bands spreads an LL change c as c/2 over its 2x2 samples; then to frame size. */
    private static void apply(Mat bgr, float[] change) {
        int canonical = 2 * WatermarkGrid.SIZE;
        try (Mat band = new Mat(WatermarkGrid.SIZE, WatermarkGrid.SIZE, opencv_core.CV_32F);
             Mat spread = new Mat();
             Mat full = new Mat();
             Mat colour = new Mat();
             MatVector planes = new MatVector(3)) {
            for (int i = 0; i < change.length; i++) {
                change[i] /= 2f;
            }
            ((FloatBuffer) band.createBuffer()).put(change);
            opencv_imgproc.resize(band, spread, new Size(canonical, canonical), 0, 0, opencv_imgproc.INTER_NEAREST);
            opencv_imgproc.resize(spread, full, new Size(bgr.cols(), bgr.rows()), 0, 0, opencv_imgproc.INTER_LINEAR);
            planes.put(0, full);
            planes.put(1, full);
            planes.put(2, full);
            opencv_core.merge(planes, colour);
            opencv_core.add(bgr, colour, bgr, new Mat(), opencv_core.CV_8U);
        }
    }
}
