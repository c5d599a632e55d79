package facefarm.worker.analysis;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.models.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a job's analysis options, fills in the farm's defaults, and names the models they need. FaceFusion's
 * defaults (yolo_face, 2dfan4, reference selection with arcface) are taken where their models are installed and
 * licensed; otherwise the open ones: yunet, no 68-point landmarker, and every face selected.
 */
public final class AnalysisSettings {
    public static final List<String> LANDMARKERS = List.of("2dfan4", "peppa_wutz", "many", "none");
    public static final List<String> SELECTOR_MODES = List.of("reference", "one", "many");
    public static final int DEFAULT_SIZE = 640;
    public static final float DEFAULT_LANDMARKER_SCORE = 0.5f;
    /** Frames each side over which face tracks are smoothed (see tracking.TrackSettings): 0.12 s at 25 frames/s. */
    public static final int DEFAULT_SMOOTHING_WINDOW = 3;
    /** Keeps chunk overlap, and the decoded frames a worker holds while it looks ahead, bounded. */
    public static final int MAX_SMOOTHING_WINDOW = 12;

    private AnalysisSettings() {
    }

    /** Problems a studio can fix, in plain words; empty when the options are usable. Null options are the defaults. */
    public static List<String> problems(AnalysisOptions options) {
        List<String> problems = new ArrayList<>();
        if (options == null) {
            return problems;
        }
        String detector = options.faceDetectorModel();
        if (detector != null && !FaceDetectors.NAMES.contains(detector)) {
            problems.add("unknown face detector '" + detector + "' (known: " + String.join(", ", FaceDetectors.NAMES) + ")");
        } else if (options.faceDetectorSize() != null) {
            Set<Integer> sizes = new LinkedHashSet<>();
            FaceDetectors.models(detector == null ? "yunet" : detector).forEach(m -> sizes.addAll(m.sizes()));
            if (detector == null ? options.faceDetectorSize() != DEFAULT_SIZE : !sizes.contains(options.faceDetectorSize())) {
                problems.add("face detector " + (detector == null ? "default" : "'" + detector + "'") + " takes sizes "
                        + (detector == null ? List.of(DEFAULT_SIZE) : sizes) + ", not " + options.faceDetectorSize());
            }
        }
        float score = options.faceDetectorScore() == null ? FaceAnalyser.DEFAULT_SCORE : options.faceDetectorScore();
        for (Runnable check : List.<Runnable>of(
                () -> new FaceDetection.Options(score, null, null),
                () -> new FaceDetection.Options(FaceAnalyser.DEFAULT_SCORE, margin(options.faceDetectorMargin()), null),
                () -> new FaceDetection.Options(FaceAnalyser.DEFAULT_SCORE, null, options.faceDetectorAngles()))) {
            try {
                check.run();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (options.faceLandmarkerModel() != null && !LANDMARKERS.contains(options.faceLandmarkerModel())) {
            problems.add("unknown face landmarker '" + options.faceLandmarkerModel() + "' (known: " + String.join(", ", LANDMARKERS) + ")");
        }
        if (options.faceLandmarkerScore() != null && (options.faceLandmarkerScore() < 0 || options.faceLandmarkerScore() > 1)) {
            problems.add("face landmarker score must be between 0 and 1, got " + options.faceLandmarkerScore());
        }
        if (options.faceSelectorMode() != null && !SELECTOR_MODES.contains(options.faceSelectorMode())) {
            problems.add("unknown face selector mode '" + options.faceSelectorMode() + "' (known: " + String.join(", ", SELECTOR_MODES) + ")");
        }
        if (options.faceSelectorOrder() != null) {
            try {
                FaceSelector.Order.byName(options.faceSelectorOrder());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (options.referenceFacePosition() != null && options.referenceFacePosition() < 0) {
            problems.add("reference face position must be 0 or more, got " + options.referenceFacePosition());
        }
        if (options.referenceFaceDistance() != null && (options.referenceFaceDistance() < 0 || options.referenceFaceDistance() > 1)) {
            problems.add("reference face distance must be between 0 and 1, got " + options.referenceFaceDistance());
        }
        if (options.referenceFrameNumber() != null && options.referenceFrameNumber() < 0) {
            problems.add("reference frame number must be 0 or more, got " + options.referenceFrameNumber());
        }
        if (options.smoothingWindow() != null && smoothingWindowProblem(options.smoothingWindow()) != null) {
            problems.add(smoothingWindowProblem(options.smoothingWindow()));
        }
        return problems;
    }

    /** Why a smoothing window cannot be used; null when it can. */
    public static String smoothingWindowProblem(int window) {
        return window < 0 || window > MAX_SMOOTHING_WINDOW
                ? "smoothing window must be between 0 (off) and " + MAX_SMOOTHING_WINDOW + " frames each side, got " + window : null;
    }

    private static int[] margin(List<Integer> margin) {
        return margin == null ? null : margin.stream().mapToInt(Integer::intValue).toArray();
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
                o.smoothingWindow() == null ? DEFAULT_SMOOTHING_WINDOW : o.smoothingWindow());
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
