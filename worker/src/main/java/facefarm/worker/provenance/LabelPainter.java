package facefarm.worker.provenance;

import facefarm.common.provenance.VisibleLabel;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws a {@link VisibleLabel} on frames of one size: white text on a dark box in a corner, blended at the label's
 * opacity. Sized by the frame's height (the text 3 % of it, at least 10 lines), so a label reads the same at any
 * resolution; the layout is worked out once.
 */
final class LabelPainter {
    private static final int FONT = opencv_imgproc.FONT_HERSHEY_SIMPLEX;

    private final VisibleLabel label;
    private final Rect box;
    private final Point origin;
    private final double scale;
    private final int thickness;

    LabelPainter(VisibleLabel label, int width, int height) {
        this.label = label;
        int textHeight = Math.max(10, Math.round(height * 0.03f));
        this.thickness = Math.max(1, textHeight / 12);
        int[] baseline = new int[1];
        Size unit = opencv_imgproc.getTextSize(label.text(), FONT, 1.0, thickness, baseline);
        this.scale = textHeight / (double) unit.height();
        Size text = opencv_imgproc.getTextSize(label.text(), FONT, scale, thickness, baseline);
        int pad = Math.max(2, textHeight / 3);
        int margin = Math.max(2, Math.round(height * 0.02f));
        int boxWidth = Math.min(width, text.width() + 2 * pad);
        int boxHeight = Math.min(height, text.height() + baseline[0] + 2 * pad);
        int x = label.position().endsWith("left") ? margin : width - margin - boxWidth;
        int y = label.position().startsWith("top") ? margin : height - margin - boxHeight;
        this.box = new Rect(Math.max(0, x), Math.max(0, y), boxWidth, boxHeight);
        this.origin = new Point(pad, pad + text.height());
    }

    void paint(Mat frame) {
        try (Mat region = frame.apply(box); Mat overlay = new Mat(box.height(), box.width(), frame.type(), new Scalar(24, 24, 24, 0))) {
            opencv_imgproc.putText(overlay, label.text(), origin, FONT, scale, new Scalar(255, 255, 255, 0), thickness, opencv_imgproc.LINE_AA, false);
            opencv_core.addWeighted(overlay, label.opacity(), region, 1 - label.opacity(), 0, region);
        }
    }
}
