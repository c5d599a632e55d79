package facefarm.worker.analysis;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Finds faces in a BGR frame. Instances hold buffers and a session: use one per thread. */
public interface FaceDetector extends AutoCloseable {
    List<Face> detect(Mat frame);

    /** The manifest id of the model this detector runs. */
    String modelId();

    @Override
    void close();
}
