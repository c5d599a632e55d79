package facefarm.worker.processors;

import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Point;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * FaceFusion's paste-back: the crop's four corners, mapped back, give the frame box it covers (floor/ceil, clipped);
 * the crop (replicated borders) and its float mask (zero borders, clipped to [0, 1]) are warped into that box only,
 * and the frame becomes {@code frame·(1−m) + crop·m}, rounded. Where the mask is 0 the frame keeps its own pixels.
 */
public final class PasteBack {
    private PasteBack() {
    }

    /**
     * @param crop   BGR crop the swapper or enhancer returned, the size the matrix maps the face to
     * @param mask   CV_32F mask of the crop's size, 1 = take the crop
     * @param matrix frame-to-crop affine matrix the crop was made with
     */
    public static void paste(Mat frame, Mat crop, Mat mask, double[] matrix) {
        Rect box = box(frame, crop.cols(), crop.rows(), matrix);
        if (box == null) {
            return;
        }
        int x1 = box.x();
        int y1 = box.y();
        int width = box.width();
        int height = box.height();
        double[] inverse = FaceWarp.invert(matrix);
        double[] shifted = {inverse[0], inverse[1], inverse[2] - x1, inverse[3], inverse[4], inverse[5] - y1};
        Size size = new Size(width, height);
        try (Mat m = FaceWarp.matrixMat(shifted); Mat pastedCrop = new Mat(); Mat pastedMask = new Mat();
             Mat region = new Mat(frame, box); Mat blended = region.clone()) {
            opencv_imgproc.warpAffine(crop, pastedCrop, m, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar());
            opencv_imgproc.warpAffine(mask, pastedMask, m, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT, new Scalar());
            int pixels = width * height;
            byte[] target = new byte[pixels * 3];
            byte[] source = new byte[pixels * 3];
            float[] alpha = new float[pixels];
            ((ByteBuffer) blended.createBuffer()).get(target);
            ((ByteBuffer) pastedCrop.createBuffer()).get(source);
            ((FloatBuffer) pastedMask.createBuffer()).get(alpha);
            for (int i = 0; i < pixels; i++) {
                float a = Math.max(0, Math.min(1, alpha[i]));
                if (a == 0) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int k = 3 * i + c;
                    target[k] = (byte) Math.round((target[k] & 0xff) * (1 - a) + (source[k] & 0xff) * a);
                }
            }
            ((ByteBuffer) blended.createBuffer()).put(target);
            blended.copyTo(region);
        }
    }

    /** The frame box a crop of this size covers once mapped back (floor/ceil, clipped); null when it is off the frame. */
    public static Rect box(Mat frame, int cropWidth, int cropHeight, double[] matrix) {
        double[] inverse = FaceWarp.invert(matrix);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Point corner : new Point[] {new Point(0, 0), new Point(cropWidth, 0), new Point(cropWidth, cropHeight), new Point(0, cropHeight)}) {
            Point p = FaceWarp.apply(inverse, corner);
            minX = Math.min(minX, p.x());
            minY = Math.min(minY, p.y());
            maxX = Math.max(maxX, p.x());
            maxY = Math.max(maxY, p.y());
        }
        int x1 = (int) Math.max(0, Math.floor(minX));
        int y1 = (int) Math.max(0, Math.floor(minY));
        int x2 = (int) Math.min(frame.cols(), Math.ceil(maxX));
        int y2 = (int) Math.min(frame.rows(), Math.ceil(maxY));
        return x2 - x1 <= 0 || y2 - y1 <= 0 ? null : new Rect(x1, y1, x2 - x1, y2 - y1);
    }
}
