package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One step of the face pipeline. It changes the frame in place, using the faces that analysis found once for all
 * processors. A processor whose state reads past or future frames declares how many, so chunks get that overlap.
 */
public interface FrameProcessor extends AutoCloseable {
    String name();

    default int warmupFrames() {
        return 0;
    }

    default int lookaheadFrames() {
        return 0;
    }

    void process(long frameIndex, Mat frame, List<Face> faces);

    @Override
    default void close() {
    }
}
