package facefarm.worker.analysis;

import facefarm.models.ModelStore;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Analysis that runs once per frame and is shared by every processor; faces come largest first (FaceFusion's default order). */
public final class FaceAnalyser implements AutoCloseable {
    /** FaceFusion's default --face-detector-score. */
    public static final float DEFAULT_SCORE = 0.5f;

    private final FaceDetection detection;

    public FaceAnalyser(FaceDetection detection) {
        this.detection = detection;
    }

    /** The open default: YuNet at 640, FaceFusion's default score, no margin, one angle. */
    public static FaceAnalyser withDefaultDetector(ModelStore models) {
        return new FaceAnalyser(FaceDetectors.create("yunet", 640, FaceDetection.Options.DEFAULT, models));
    }

    public List<Face> analyse(Mat frame) {
        return FaceSelector.sorted(detection.detect(frame), FaceSelector.Order.LARGE_SMALL);
    }

    public List<String> modelsLoaded() {
        return detection.modelIds();
    }

    @Override
    public void close() {
        detection.close();
    }
}
