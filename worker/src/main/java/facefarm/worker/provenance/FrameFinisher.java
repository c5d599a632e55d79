package facefarm.worker.provenance;

import facefarm.common.provenance.FrameFinish;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Finishes a job's owned frames as its {@link FrameFinish} says: scaled down to the cap, labelled, watermarked, in
 * that order, each frame on its own (so a chunked render is finished exactly as a one-chunk render).
 */
public final class FrameFinisher implements AutoCloseable {
    private final int width;
    private final int height;
    private final LabelPainter label;
    private final WatermarkEmbedder watermark;
    private final Mat scaled = new Mat();

    /** @param width and {@code height}: the frames' size before finishing */
    public FrameFinisher(FrameFinish finish, int width, int height) {
        int[] size = finish.outputSize(width, height);
        this.width = size[0];
        this.height = size[1];
        this.label = finish.label() == null ? null : new LabelPainter(finish.label(), this.width, this.height);
        this.watermark = finish.watermark() == null ? null : new WatermarkEmbedder(finish.watermark());
    }

    /** The finished frames' width. */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /**
     * The finished frame: {@code frame} itself, changed in place, or, when it is scaled, a frame this finisher owns and
     * reuses for the next one.
     */
    public Mat finish(Mat frame) {
        Mat out = frame;
        if (frame.cols() != width || frame.rows() != height) {
            opencv_imgproc.resize(frame, scaled, new Size(width, height), 0, 0, opencv_imgproc.INTER_AREA);
            out = scaled;
        }
        if (label != null) {
            label.paint(out);
        }
        if (watermark != null) {
            watermark.mark(out);
        }
        return out;
    }

    @Override
    public void close() {
        scaled.close();
    }
}
