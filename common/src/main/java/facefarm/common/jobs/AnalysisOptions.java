package facefarm.common.jobs;

import java.util.List;

/**
 * Face analysis choices of a job, with FaceFusion's option names and meanings (--face-detector-*, --face-landmarker-*,
 * --face-selector-*, --reference-*). A null field takes the farm's default; the coordinator resolves every default
 * once at ingest, so all chunks of a job analyse faces the same way.
 *
 * @param faceDetectorMargin top, right, bottom, left in percent of the frame (0-100)
 * @param faceLandmarkerModel 2dfan4, peppa_wutz, many, or none (no 68-point landmarker)
 * @param faceLandmarkerScore the landmark score above which the 5 points come from the 68; 0 turns the landmarker off
 * @param fan68From5 whether fan_68_5 estimates 68 points from the detector's 5 (FaceFusion always runs it; the farm
 *                   does when the model is installed, and fixes the choice per job so every worker agrees)
 * @param smoothingWindow the farm's own (FaceFusion has none): frames on each side over which a face track's points are
 *                        smoothed, detection gaps filled and reference matches held; 0 is FaceFusion's frame-by-frame
 * @param faceMap the farm's own: one source per person ({@link FaceMapping}); when given, only the mapped people's
 *                faces are processed, each with its own source, whatever the selector mode
 */
public record AnalysisOptions(
        String faceDetectorModel,
        Integer faceDetectorSize,
        List<Integer> faceDetectorMargin,
        List<Integer> faceDetectorAngles,
        Float faceDetectorScore,
        String faceLandmarkerModel,
        Float faceLandmarkerScore,
        Boolean fan68From5,
        String faceSelectorMode,
        String faceSelectorOrder,
        Integer referenceFacePosition,
        Float referenceFaceDistance,
        Long referenceFrameNumber,
        Integer smoothingWindow,
        List<FaceMapping> faceMap) {

    public static final AnalysisOptions DEFAULTS = new AnalysisOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public AnalysisOptions(String faceDetectorModel, Integer faceDetectorSize, List<Integer> faceDetectorMargin, List<Integer> faceDetectorAngles,
                           Float faceDetectorScore, String faceLandmarkerModel, Float faceLandmarkerScore, Boolean fan68From5,
                           String faceSelectorMode, String faceSelectorOrder, Integer referenceFacePosition, Float referenceFaceDistance,
                           Long referenceFrameNumber, Integer smoothingWindow) {
        this(faceDetectorModel, faceDetectorSize, faceDetectorMargin, faceDetectorAngles, faceDetectorScore, faceLandmarkerModel, faceLandmarkerScore,
                fan68From5, faceSelectorMode, faceSelectorOrder, referenceFacePosition, referenceFaceDistance, referenceFrameNumber, smoothingWindow, null);
    }

    /** FaceFusion's options alone; the smoothing window takes the farm's default. */
    public AnalysisOptions(String faceDetectorModel, Integer faceDetectorSize, List<Integer> faceDetectorMargin, List<Integer> faceDetectorAngles,
                           Float faceDetectorScore, String faceLandmarkerModel, Float faceLandmarkerScore, Boolean fan68From5,
                           String faceSelectorMode, String faceSelectorOrder, Integer referenceFacePosition, Float referenceFaceDistance,
                           Long referenceFrameNumber) {
        this(faceDetectorModel, faceDetectorSize, faceDetectorMargin, faceDetectorAngles, faceDetectorScore, faceLandmarkerModel, faceLandmarkerScore,
                fan68From5, faceSelectorMode, faceSelectorOrder, referenceFacePosition, referenceFaceDistance, referenceFrameNumber, null, null);
    }

    /** The same options with another smoothing window. */
    public AnalysisOptions withSmoothingWindow(Integer window) {
        return new AnalysisOptions(faceDetectorModel, faceDetectorSize, faceDetectorMargin, faceDetectorAngles, faceDetectorScore, faceLandmarkerModel,
                faceLandmarkerScore, fan68From5, faceSelectorMode, faceSelectorOrder, referenceFacePosition, referenceFaceDistance, referenceFrameNumber, window,
                faceMap);
    }

    /** The same options with another face map (ingest fills in each person's identity). */
    public AnalysisOptions withFaceMap(List<FaceMapping> map) {
        return new AnalysisOptions(faceDetectorModel, faceDetectorSize, faceDetectorMargin, faceDetectorAngles, faceDetectorScore, faceLandmarkerModel,
                faceLandmarkerScore, fan68From5, faceSelectorMode, faceSelectorOrder, referenceFacePosition, referenceFaceDistance, referenceFrameNumber,
                smoothingWindow, map);
    }

    public AnalysisOptions {
        faceDetectorMargin = faceDetectorMargin == null ? null : List.copyOf(faceDetectorMargin);
        faceDetectorAngles = faceDetectorAngles == null ? null : List.copyOf(faceDetectorAngles);
        faceMap = faceMap == null || faceMap.isEmpty() ? null : List.copyOf(faceMap);
    }

    /** These options without the mapped people's identity vectors: biometric data stays inside the farm. */
    public AnalysisOptions withoutIdentities() {
        return faceMap == null ? this : withFaceMap(faceMap.stream().map(m -> m.withEmbedding(null)).toList());
    }

    /** Whether faces are selected by one reference face (a face map takes precedence over the selector mode). */
    public boolean referenceMode() {
        return "reference".equals(faceSelectorMode) && faceMap == null;
    }

    public boolean mapsFaces() {
        return faceMap != null;
    }

    /** Whether faces need their identity: to compare them with a reference face or with the mapped people. */
    public boolean needsIdentity() {
        return referenceMode() || mapsFaces();
    }
}
