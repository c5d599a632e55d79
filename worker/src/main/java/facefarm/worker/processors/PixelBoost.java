package facefarm.worker.processors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * FaceFusion's pixel boost: a crop of t·m pixels becomes t² strided sub-images of m pixels (sub-image (i, j) is
 * {@code crop[i::t, j::t]}, row offset first), each fed to the model at its own size, and the outputs are
 * interleaved back in the same places.
 */
public final class PixelBoost {
    private PixelBoost() {
    }

    public static List<Mat> split(Mat crop, int modelSize) {
        int total = factor(crop.cols(), modelSize);
        int size = crop.cols();
        byte[] pixels = new byte[size * size * 3];
        ((ByteBuffer) crop.createBuffer()).get(pixels);
        List<Mat> tiles = new ArrayList<>(total * total);
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                byte[] tile = new byte[modelSize * modelSize * 3];
                for (int y = 0; y < modelSize; y++) {
                    for (int x = 0; x < modelSize; x++) {
                        System.arraycopy(pixels, ((y * total + i) * size + x * total + j) * 3, tile, (y * modelSize + x) * 3, 3);
                    }
                }
                Mat mat = new Mat(modelSize, modelSize, opencv_core.CV_8UC3);
                ((ByteBuffer) mat.createBuffer()).put(tile);
                tiles.add(mat);
            }
        }
        return tiles;
    }

    /** The inverse of {@link #split}: t² tiles of m pixels, in split's order, back into one crop of t·m pixels. */
    public static Mat join(List<Mat> tiles) {
        int total = (int) Math.round(Math.sqrt(tiles.size()));
        if (total * total != tiles.size()) {
            throw new IllegalArgumentException(tiles.size() + " tiles do not make a square");
        }
        int modelSize = tiles.get(0).cols();
        int size = total * modelSize;
        byte[] pixels = new byte[size * size * 3];
        byte[] tile = new byte[modelSize * modelSize * 3];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                ((ByteBuffer) tiles.get(i * total + j).createBuffer()).get(tile);
                for (int y = 0; y < modelSize; y++) {
                    for (int x = 0; x < modelSize; x++) {
                        System.arraycopy(tile, (y * modelSize + x) * 3, pixels, ((y * total + i) * size + x * total + j) * 3, 3);
                    }
                }
            }
        }
        Mat crop = new Mat(size, size, opencv_core.CV_8UC3);
        ((ByteBuffer) crop.createBuffer()).put(pixels);
        return crop;
    }

    static int factor(int cropSize, int modelSize) {
        if (cropSize % modelSize != 0) {
            throw new IllegalArgumentException("pixel boost " + cropSize + " is not a multiple of the model's " + modelSize);
        }
        return cropSize / modelSize;
    }
}
