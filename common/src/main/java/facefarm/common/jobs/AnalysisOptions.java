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
        Long referenceFrameNumber) {

    public static final AnalysisOptions DEFAULTS = new AnalysisOptions(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public AnalysisOptions {
        faceDetectorMargin = faceDetectorMargin == null ? null : List.copyOf(faceDetectorMargin);
        faceDetectorAngles = faceDetectorAngles == null ? null : List.copyOf(faceDetectorAngles);
    }

    public boolean referenceMode() {
        return "reference".equals(faceSelectorMode);
    }
}
