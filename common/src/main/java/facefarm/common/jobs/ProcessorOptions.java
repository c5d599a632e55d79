package facefarm.common.jobs;

import java.util.List;

/**
 * Processor choices of a job, with FaceFusion's option names and meanings (--face-swapper-*, --face-enhancer-*,
 * --face-mask-*, --face-occluder-model, --face-parser-model) plus the open mesh swapper's blend. A null field takes
 * the farm's default; the coordinator resolves them once at ingest, so every chunk processes faces the same way.
 *
 * @param faceSwapperPixelBoost the crop size the swapper works at (a multiple of the model's size; null = the model's)
 * @param faceSwapperWeight     0-1; 0.5 keeps the source identity as it is
 * @param faceEnhancerBlend     0-100, how much of the enhanced face replaces the frame's
 * @param faceEnhancerWeight    0-1, CodeFormer's fidelity weight (other enhancers have none)
 * @param faceMaskTypes         box, occlusion, area, region
 * @param faceMaskPadding       top, right, bottom, left in percent of the crop
 * @param meshSwapperBlend      feathered (alpha, the default) or seamless (Poisson cloning, slower)
 * @param lipSyncerModel        wav2lip_gan_96 (FaceFusion's default), wav2lip_96 or edtalk_256
 * @param lipSyncerWeight       0-1; Wav2Lip scales the mel window by weight·2, EDTalk takes it as an input
 * @param voiceExtractorModel   kim_vocal_2, kim_vocal_1 or uvr_mdxnet: lip sync hears the voice alone; none: the whole
 *                              track (the default when no voice extractor is installed)
 */
public record ProcessorOptions(
        String faceSwapperModel,
        Integer faceSwapperPixelBoost,
        Float faceSwapperWeight,
        String faceEnhancerModel,
        Integer faceEnhancerBlend,
        Float faceEnhancerWeight,
        List<String> faceMaskTypes,
        Float faceMaskBlur,
        List<Integer> faceMaskPadding,
        List<String> faceMaskAreas,
        List<String> faceMaskRegions,
        String faceOccluderModel,
        String faceParserModel,
        String meshSwapperBlend,
        String lipSyncerModel,
        Float lipSyncerWeight,
        String voiceExtractorModel) {

    public static final ProcessorOptions DEFAULTS = new ProcessorOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /** Options without lip sync choices (they take the defaults). */
    public ProcessorOptions(String faceSwapperModel, Integer faceSwapperPixelBoost, Float faceSwapperWeight, String faceEnhancerModel,
                            Integer faceEnhancerBlend, Float faceEnhancerWeight, List<String> faceMaskTypes, Float faceMaskBlur,
                            List<Integer> faceMaskPadding, List<String> faceMaskAreas, List<String> faceMaskRegions, String faceOccluderModel,
                            String faceParserModel, String meshSwapperBlend) {
        this(faceSwapperModel, faceSwapperPixelBoost, faceSwapperWeight, faceEnhancerModel, faceEnhancerBlend, faceEnhancerWeight, faceMaskTypes,
                faceMaskBlur, faceMaskPadding, faceMaskAreas, faceMaskRegions, faceOccluderModel, faceParserModel, meshSwapperBlend, null, null, null);
    }

    public ProcessorOptions {
        faceMaskTypes = faceMaskTypes == null ? null : List.copyOf(faceMaskTypes);
        faceMaskPadding = faceMaskPadding == null ? null : List.copyOf(faceMaskPadding);
        faceMaskAreas = faceMaskAreas == null ? null : List.copyOf(faceMaskAreas);
        faceMaskRegions = faceMaskRegions == null ? null : List.copyOf(faceMaskRegions);
    }
}
