package facefarm.worker.processors.meshswap;

import facefarm.worker.analysis.Geometry;
import facefarm.worker.analysis.MeshRegions;
import facefarm.worker.analysis.MeshShapes;
import facefarm.worker.analysis.Point;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Where the source's face replaces the target's, as a soft weight per pixel of the face's box. The source gives the
 * skin, brows, nose, cheeks and chin inside the face's outline; the target keeps what carries its performance: the
 * mouth (lips, teeth, tongue and the dark of an open mouth), the eyes (and their lids through a blink, so a blink
 * stays a blink), plus the forehead and hairline above the brows. Kept regions are sized from stable distances (mouth
 * width, eye width), not from how open the mesh says they are, so the mask does not breathe as the actor speaks.
 *
 * @param alpha   CV_32FC1 in [0, 1]: how much of the source each pixel takes
 * @param outline CV_8UC1: the face's swapped area without the kept regions' holes (255 where alpha would be over
 *                one half but for them), for Poisson cloning, which needs one region
 * @param support CV_8UC1: the source-only pixels, where colour statistics are fair to compare
 */
public record SwapMask(Mat alpha, Mat outline, Mat support) implements AutoCloseable {

    /** How far around the lips the target's mouth is kept, in mouth widths. */
    static final double MOUTH_MARGIN = 0.12;
    /**
     * How far around the lid margins the target's eye is kept, in eye widths: with the eyes open, the eye itself (the
     * source's lids and the skin around them carry identity); through a blink, the target's lids too, since FaceMesh
     * (this model) keeps its lids open and a blink can only come from the target's pixels. Between the two by how
     * far the eyes' opening has fallen below the track's open eyes (measured in MeshSwapperPerformanceTest).
     */
    static final double EYE_MARGIN_OPEN = 0.0;
    static final double EYE_MARGIN_CLOSED = 0.25;
    /** Eye openings, relative to the track's open eyes, where the margin starts to grow and where it is full. */
    static final double OPENING_FULL = 0.95;
    static final double OPENING_BLINK = 0.7;
    /**
     * The swap fades back to the target between these heights above the eyes, in eye-to-lower-brow heights: the
     * source's brows are in (they carry identity and cover the target's), its fringe and hairline are not.
     */
    static final double FOREHEAD_FADE_START = 1.1;
    static final double FOREHEAD_FADE_END = 1.8;
    /** How far the swap stays inside the mesh's outline, and the width of its fade, in eye-corner distances. */
    static final double OUTLINE_INSET = 0.06;
    static final double OUTLINE_FADE = 0.04;
    /** The fade around kept regions, in eye-corner distances. */
    static final double KEPT_FADE = 0.03;

    /** The mask with the eyes' opening unknown (kept as through a blink). */
    public static SwapMask of(List<Point> target, Rect box, Mat coverage) {
        return of(target, box, coverage, Double.NaN);
    }

    /**
     * How much of a blink the eyes show, from their opening relative to the track's open eyes: 0 open, 1 closed
     * (smoothstep between the two thresholds); 1 when unknown, so a blink is never lost.
     */
    static double closure(double relativeOpening) {
        if (Double.isNaN(relativeOpening)) {
            return 1;
        }
        double t = Math.min(1, Math.max(0, (OPENING_FULL - relativeOpening) / (OPENING_FULL - OPENING_BLINK)));
        return t * t * (3 - 2 * t);
    }

    /**
     * The mask for a target face with mesh {@code target}, in {@code box}, given the warp's triangle coverage and the
     * eyes' opening relative to the track's open eyes ({@code DenseMesh.relativeEyeOpening}; NaN when unknown).
     */
    public static SwapMask of(List<Point> target, Rect box, Mat coverage, double relativeEyeOpening) {
        int width = box.width();
        int height = box.height();
        double eyeSpan = Math.max(8, eyeSpan(target));
        Mat support = new Mat();
        Mat alpha = new Mat();
        Mat outline = new Mat();
        try (Mat kept = new Mat(height, width, opencv_core.CV_8UC1, new Scalar(0)); Mat keptSoft = new Mat(); Mat inner = new Mat()) {
            paintKept(target, box, kept, closure(relativeEyeOpening));
            // the hull's own edge: pulled in a little so the blend fades out inside the face, never past its outline
            int edge = odd(2 * OUTLINE_INSET * eyeSpan);
            try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(edge, edge))) {
                opencv_imgproc.erode(coverage, inner, kernel);
            }
            inner.convertTo(alpha, opencv_core.CV_32F, 1 / 255.0, 0);
            opencv_imgproc.GaussianBlur(alpha, alpha, new Size(0, 0), OUTLINE_FADE * eyeSpan);
            try (Mat hard = new Mat()) {
                coverage.convertTo(hard, opencv_core.CV_32F, 1 / 255.0, 0);
                opencv_core.multiply(alpha, hard, alpha);
            }
            kept.convertTo(keptSoft, opencv_core.CV_32F, 1 / 255.0, 0);
            opencv_imgproc.GaussianBlur(keptSoft, keptSoft, new Size(0, 0), KEPT_FADE * eyeSpan);
            float[] a = new float[width * height];
            float[] k = new float[a.length];
            ((FloatBuffer) alpha.createBuffer()).get(a);
            ((FloatBuffer) keptSoft.createBuffer()).get(k);
            float[] forehead = foreheadWeight(target, box);
            byte[] o = new byte[a.length];
            for (int i = 0; i < a.length; i++) {
                a[i] *= forehead[i];
                o[i] = (byte) (a[i] > 0.5f ? 255 : 0);
                a[i] *= 1 - k[i];
            }
            outline.create(height, width, opencv_core.CV_8UC1);
            ((ByteBuffer) outline.createBuffer()).put(o);
            ((FloatBuffer) alpha.createBuffer()).put(a);
            opencv_imgproc.threshold(alpha, support, 0.98, 255, opencv_imgproc.THRESH_BINARY);
            support.convertTo(support, opencv_core.CV_8U);
        }
        return new SwapMask(alpha, outline, support);
    }

    /** The distance between the eyes' outer corners: the scale the mask's and the colour match's sizes are given in. */
    public static double eyeSpan(List<Point> points) {
        return Geometry.distance(points.get(MeshRegions.EYE_CORNERS[0]), points.get(MeshRegions.EYE_CORNERS[3]));
    }

    /** The target's mouth and eyes, filled with 255. */
    private static void paintKept(List<Point> target, Rect box, Mat kept, double closure) {
        Point mouthLeft = target.get(MeshRegions.LIPS_OUTER[0]);
        Point mouthRight = target.get(MeshRegions.LIPS_OUTER[10]);
        double mouthWidth = Geometry.distance(mouthLeft, mouthRight);
        MeshShapes.fill(target, MeshRegions.LIPS_OUTER, box.x(), box.y(), kept);
        int grow = odd(2 * MOUTH_MARGIN * mouthWidth);
        try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(grow, grow))) {
            opencv_imgproc.dilate(kept, kept, kernel);
        }
        eye(target, MeshRegions.EYE_CORNERS[0], MeshRegions.EYE_CORNERS[1], MeshRegions.RIGHT_EYE, box, kept, closure);
        eye(target, MeshRegions.EYE_CORNERS[2], MeshRegions.EYE_CORNERS[3], MeshRegions.LEFT_EYE, box, kept, closure);
    }

    /** The eye's opening between its lid margins, grown by a margin sized from the eye's width. */
    private static void eye(List<Point> target, int cornerA, int cornerB, int[] contour, Rect box, Mat kept, double closure) {
        double width = Geometry.distance(target.get(cornerA), target.get(cornerB));
        double margin = EYE_MARGIN_OPEN + closure * (EYE_MARGIN_CLOSED - EYE_MARGIN_OPEN);
        try (Mat eye = new Mat(kept.rows(), kept.cols(), opencv_core.CV_8UC1, new Scalar(0))) {
            MeshShapes.fill(target, contour, box.x(), box.y(), eye);
            int grow = odd(2 * margin * width);
            try (Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_ELLIPSE, new Size(grow, grow))) {
                opencv_imgproc.dilate(eye, eye, kernel);
            }
            opencv_core.bitwise_or(kept, eye, kept);
        }
    }

    /**
     * 1 up to the brows, fading to 0 above them along the face's up direction (eyes minus mouth): one pair of brows,
     * the target's hairline, and a smooth (smoothstep) transition with no line.
     */
    private static float[] foreheadWeight(List<Point> target, Rect box) {
        Point eyes = Geometry.mean(target, MeshRegions.EYE_CORNERS);
        Point mouth = Geometry.mean(target, MeshRegions.MOUTH_CENTRE);
        Point brows = Geometry.mean(target, MeshRegions.BROWS_LOWER);
        double upX = eyes.x() - mouth.x();
        double upY = eyes.y() - mouth.y();
        double length = Math.max(1e-6, Math.hypot(upX, upY));
        upX /= length;
        upY /= length;
        double browHeight = Math.max(1, (brows.x() - eyes.x()) * upX + (brows.y() - eyes.y()) * upY);
        double start = FOREHEAD_FADE_START * browHeight;
        double end = FOREHEAD_FADE_END * browHeight;
        int width = box.width();
        float[] out = new float[width * box.height()];
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < width; x++) {
                double rise = (x + box.x() - eyes.x()) * upX + (y + box.y() - eyes.y()) * upY;
                double t = Math.min(1, Math.max(0, (rise - start) / (end - start)));
                // smoothstep: no kink where the fade begins or ends
                out[y * width + x] = (float) (1 - t * t * (3 - 2 * t));
            }
        }
        return out;
    }

    private static int odd(double size) {
        return Math.max(1, (int) Math.round(size)) | 1;
    }

    @Override
    public void close() {
        alpha.close();
        outline.close();
        support.close();
    }
}
