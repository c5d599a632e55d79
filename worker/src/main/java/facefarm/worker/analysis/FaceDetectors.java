package facefarm.worker.analysis;

import facefarm.models.ModelStore;
import java.util.ArrayList;
import java.util.List;

/** Builds detection from FaceFusion's option names: yunet, scrfd, retinaface, yolo_face, or many (the last three merged). */
public final class FaceDetectors {
    public static final List<String> NAMES = List.copyOf(facefarm.common.jobs.OptionRules.DETECTOR_SIZES.keySet());

    private FaceDetectors() {
    }

    /** The models a --face-detector-model name runs. */
    public static List<DetectorModel> models(String name) {
        return "many".equals(name)
                ? List.of(DetectorModel.RETINAFACE, DetectorModel.SCRFD, DetectorModel.YOLO_FACE)
                : List.of(DetectorModel.byName(name));
    }

    public static FaceDetection create(String name, int size, FaceDetection.Options options, ModelStore models) {
        List<DetectorModel> chosen = models(name);
        List<FaceDetector> detectors = new ArrayList<>();
        try {
            for (DetectorModel model : chosen) {
                int modelSize = model.sizes().contains(size) ? size : model.sizes().get(model.sizes().size() - 1);
                detectors.add(new OnnxFaceDetector(model, models.resolve(model.modelId()), modelSize));
            }
        } catch (RuntimeException e) {
            detectors.forEach(FaceDetector::close);
            throw e;
        }
        return new FaceDetection(detectors, options);
    }
}
