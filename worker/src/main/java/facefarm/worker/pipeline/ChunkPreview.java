package facefarm.worker.pipeline;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** A chunk's last finished frame as a small JPEG, for the dashboard's preview of a job's progress. */
public final class ChunkPreview {
    /** Wide enough to judge a swap at a glance, small enough (about 20 KB) to refresh live. */
    public static final int WIDTH = 480;

    private ChunkPreview() {
    }

    /** The BGR frame scaled to {@link #WIDTH} pixels wide (never up), as JPEG. */
    public static byte[] jpeg(Mat frame) {
        int width = Math.min(WIDTH, frame.cols());
        int height = Math.max(1, Math.round(frame.rows() * (float) width / frame.cols()));
        try (Mat small = new Mat(); BytePointer encoded = new BytePointer()) {
            opencv_imgproc.resize(frame, small, new Size(width, height), 0, 0, opencv_imgproc.INTER_AREA);
            if (!opencv_imgcodecs.imencode(".jpg", small, encoded)) {
                throw new IllegalStateException("OpenCV could not encode a " + width + "x" + height + " preview");
            }
            byte[] bytes = new byte[(int) encoded.limit()];
            encoded.get(bytes);
            return bytes;
        }
    }
}
