package facefarm.worker.analysis;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One detection model: candidate faces in a BGR frame, scored and thresholded but before NMS ({@link FaceDetection}
 * merges candidates from all angles and suppresses overlaps). Instances hold a session and buffers: one per thread.
 */
public interface FaceDetector extends AutoCloseable {
    List<Face> candidates(Mat frame, float scoreThreshold);

    /** Candidates of several frames; a model that accepts a batch runs them together. */
    default List<List<Face>> candidates(List<Mat> frames, float scoreThreshold) {
        return frames.stream().map(frame -> candidates(frame, scoreThreshold)).toList();
    }

    /** Manifest ids of the models this detector runs. */
    List<String> modelIds();

    @Override
    void close();
}
