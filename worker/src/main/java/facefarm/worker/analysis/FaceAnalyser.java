package facefarm.worker.analysis;

import facefarm.models.ModelStore;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** Analysis that runs once per frame and is shared by every processor; faces come largest first (FaceFusion's default order). */
public final class FaceAnalyser implements AutoCloseable {
    /** FaceFusion's default --face-detector-score. */
    public static final float DEFAULT_SCORE = 0.5f;

    private final FaceDetector detector;

    public FaceAnalyser(FaceDetector detector) {
        this.detector = detector;
    }

    public static FaceAnalyser withDefaultDetector(ModelStore models) {
        return new FaceAnalyser(new YunetDetector(models.resolve(YunetDetector.MODEL_ID), DEFAULT_SCORE));
    }

    public List<Face> analyse(Mat frame) {
        return detector.detect(frame).stream().sorted(Comparator.comparingDouble((Face f) -> f.box().area()).reversed()).toList();
    }

    public List<String> modelsLoaded() {
        return List.of(detector.modelId());
    }

    @Override
    public void close() {
        detector.close();
    }
}
