package facefarm.worker.provenance;

/**
 * Where the watermark lives, the same for the writer and the reader. Every frame is seen at a fixed canonical size
 * (so the mark scales with the picture, and a downscaled copy reads the same), through one level of the Haar DWT: its
 * LL band, {@link #SIZE} x {@link #SIZE}, cut into 8x8 blocks. A block carries one bit of the word in the order of two
 * of its low DCT coefficients (Koch and Zhao's rule): C(1,2) above C(2,1) by a margin is a one, below is a zero. Low
 * frequencies of a band that is already a fiftieth of the picture survive H.264, scaling and small shifts.
 */
final class WatermarkGrid {
    /** The canonical frame is twice this; its LL band is this many samples square. */
    static final int SIZE = 192;
    static final int BLOCK = 8;
    static final int BLOCKS = SIZE / BLOCK;
    /** The DCT basis of C(1,2) minus that of C(2,1), row-major over a block: a block's bit is the sign of its dot product. */
    static final float[] PAIR = pair();

    private WatermarkGrid() {
    }

    /**
     * The bit of the word block (row, column) carries. The grid holds six copies of the word, each four rows high;
     * copy m is rotated by 17 m bits, so a bit's copies sit in six different columns and a crop that loses the edge
     * columns loses few copies of any bit.
     */
    static int bitOf(int row, int column) {
        int block = row * BLOCKS + column;
        int copy = block / WatermarkCode.BITS;
        return (block + 17 * copy) % WatermarkCode.BITS;
    }

    /** C(1,2) - C(2,1) of the block at (row, column) of an LL band stored row-major. */
    static float relation(float[] band, int row, int column) {
        float sum = 0;
        int k = 0;
        for (int y = 0; y < BLOCK; y++) {
            int base = (row * BLOCK + y) * SIZE + column * BLOCK;
            for (int x = 0; x < BLOCK; x++) {
                sum += band[base + x] * PAIR[k++];
            }
        }
        return sum;
    }

    private static float[] pair() {
        float[] basis = new float[BLOCK * BLOCK];
        for (int y = 0; y < BLOCK; y++) {
            for (int x = 0; x < BLOCK; x++) {
                basis[y * BLOCK + x] = (float) (dct(1, y) * dct(2, x) - dct(2, y) * dct(1, x));
            }
        }
        return basis;
    }

    /** The orthonormal DCT-II basis function of frequency u at sample n. */
    private static double dct(int u, int n) {
        double scale = u == 0 ? Math.sqrt(1.0 / BLOCK) : Math.sqrt(2.0 / BLOCK);
        return scale * Math.cos(Math.PI * (2 * n + 1) * u / (2.0 * BLOCK));
    }
}
