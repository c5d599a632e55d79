package facefarm.worker.analysis;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.OptionRules;
import facefarm.models.ModelStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a job's analysis options, fills in the farm's defaults, and names the models they need. FaceFusion's
 * defaults (yolo_face, 2dfan4, reference selection with arcface) are taken where their models are installed and
 * licensed; otherwise the open ones: yunet, no 68-point landmarker, and every face selected.
 */
public final class AnalysisSettings {
    public static final List<String> LANDMARKERS = OptionRules.LANDMARKERS;
    public static final List<String> SELECTOR_MODES = OptionRules.SELECTOR_MODES;
    public static final int DEFAULT_SIZE = OptionRules.DEFAULT_DETECTOR_SIZE;
    public static final float DEFAULT_LANDMARKER_SCORE = 0.5f;
    /** Frames each side over which face tracks are smoothed (see tracking.TrackSettings): 0.12 s at 25 frames/s. */
    public static final int DEFAULT_SMOOTHING_WINDOW = 3;
    /** Keeps chunk overlap, and the decoded frames a worker holds while it looks ahead, bounded. */
    public static final int MAX_SMOOTHING_WINDOW = OptionRules.MAX_SMOOTHING_WINDOW;

    private AnalysisSettings() {
    }

    /** Problems a studio can fix, in plain words; empty when the options are usable. Null options are the defaults. */
    public static List<String> problems(AnalysisOptions options) {
        return OptionRules.problems(options);
    }

    /** Why a smoothing window cannot be used; null when it can. */
    public static String smoothingWindowProblem(int window) {
        return OptionRules.smoothingWindowProblem(window);
    }


    /** Every default filled in, choosing by what {@code models} has installed; call {@link #problems} first. */
    public static AnalysisOptions resolve(AnalysisOptions options, ModelStore models) {
        AnalysisOptions o = options == null ? AnalysisOptions.DEFAULTS : options;
        String detector = o.faceDetectorModel() != null ? o.faceDetectorModel()
                : models.installed(DetectorModel.YOLO_FACE.modelId()) ? DetectorModel.YOLO_FACE.optionName() : DetectorModel.YUNET.optionName();
        String landmarker = o.faceLandmarkerModel() != null ? o.faceLandmarkerModel()
                : models.installed(Landmarker68.Model.TWO_DFAN4.modelId()) ? "2dfan4"
                : models.installed(Landmarker68.Model.PEPPA_WUTZ.modelId()) ? "peppa_wutz" : "none";
        String mode = o.faceSelectorMode() != null ? o.faceSelectorMode() : models.installed(FaceRecognizer.ARCFACE) ? "reference" : "many";
        return new AnalysisOptions(detector, o.faceDetectorSize() == null ? DEFAULT_SIZE : o.faceDetectorSize(),
                o.faceDetectorMargin() == null ? List.of(0, 0, 0, 0) : o.faceDetectorMargin(),
                o.faceDetectorAngles() == null || o.faceDetectorAngles().isEmpty() ? List.of(0) : o.faceDetectorAngles(),
                o.faceDetectorScore() == null ? FaceAnalyser.DEFAULT_SCORE : o.faceDetectorScore(),
                landmarker, o.faceLandmarkerScore() == null ? DEFAULT_LANDMARKER_SCORE : o.faceLandmarkerScore(),
                o.fan68From5() != null ? o.fan68From5() : models.installed(Fan68From5.MODEL_ID),
                mode, o.faceSelectorOrder() == null ? FaceSelector.Order.LARGE_SMALL.optionName() : o.faceSelectorOrder(),
                o.referenceFacePosition() == null ? 0 : o.referenceFacePosition(),
                o.referenceFaceDistance() == null ? FaceSelector.DEFAULT_REFERENCE_DISTANCE : o.referenceFaceDistance(),
                o.referenceFrameNumber() == null ? 0L : o.referenceFrameNumber(),
                o.smoothingWindow() == null ? DEFAULT_SMOOTHING_WINDOW : o.smoothingWindow(), o.faceMap());
    }

    /** Whether resolved options run a 68-point landmarker (FaceFusion runs it only with a landmarker score above 0). */
    static boolean landmarkerOn(AnalysisOptions resolved) {
        return !"none".equals(resolved.faceLandmarkerModel()) && resolved.faceLandmarkerScore() > 0;
    }

    /** Whether faces analysed with resolved options carry 68 points (a landmarker's, or fan_68_5's estimate). */
    public static boolean has68Landmarks(AnalysisOptions resolved) {
        return landmarkerOn(resolved) || Boolean.TRUE.equals(resolved.fan68From5());
    }

    static List<Landmarker68.Model> landmarkers(AnalysisOptions resolved) {
        if (!landmarkerOn(resolved)) {
            return List.of();
        }
        return switch (resolved.faceLandmarkerModel()) {
            case "many" -> List.of(Landmarker68.Model.TWO_DFAN4, Landmarker68.Model.PEPPA_WUTZ);
            case "peppa_wutz" -> List.of(Landmarker68.Model.PEPPA_WUTZ);
            default -> List.of(Landmarker68.Model.TWO_DFAN4);
        };
    }

    /** Manifest ids of the models resolved options load; the recogniser only when embeddings are wanted. */
    public static List<String> modelIds(AnalysisOptions resolved, boolean embeddings) {
        List<String> ids = new ArrayList<>();
        FaceDetectors.models(resolved.faceDetectorModel()).forEach(m -> ids.add(m.modelId()));
        if (Boolean.TRUE.equals(resolved.fan68From5())) {
            ids.add(Fan68From5.MODEL_ID);
        }
        landmarkers(resolved).forEach(m -> ids.add(m.modelId()));
        if (embeddings) {
            ids.add(FaceRecognizer.ARCFACE);
        }
        return ids;
    }
}
