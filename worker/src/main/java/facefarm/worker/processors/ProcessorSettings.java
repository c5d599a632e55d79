package facefarm.worker.processors;

import facefarm.common.jobs.OptionRules;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.audio.VoiceExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and resolves a job's processors and processor options. Defaults are FaceFusion's; without a processor list
 * the farm runs the best chain it has: face_swapper (and face_enhancer) when their weights are installed and their
 * licences accepted, otherwise the open mesh_swapper.
 */
public final class ProcessorSettings {
    /** Swappers in the order the farm picks one when the job names none: FaceFusion's default first. */
    public static final List<String> SWAPPER_PREFERENCE = List.of("hyperswap_1a_256", "hyperswap_1b_256", "hyperswap_1c_256", "inswapper_128_fp16",
            "inswapper_128", "simswap_unofficial_512", "simswap_256", "ghost_3_256", "ghost_2_256", "ghost_1_256", "hififace_unofficial_256",
            "uniface_256", "blendswap_256");
    public static final List<String> ENHANCER_PREFERENCE = List.of("gfpgan_1.4", "gfpgan_1.3", "gfpgan_1.2", "restoreformer_plus_plus", "codeformer",
            "gpen_bfr_512", "gpen_bfr_256", "gpen_bfr_1024", "gpen_bfr_2048");
    public static final List<String> OCCLUDERS = OptionRules.OCCLUDERS;
    public static final List<String> PARSERS = OptionRules.PARSERS;
    public static final float DEFAULT_MASK_BLUR = 0.3f;
    /** Lip sync hears the whole track: the default when no voice extractor is installed and licensed. */
    public static final String NO_VOICE_EXTRACTOR = OptionRules.NO_VOICE_EXTRACTOR;

    /** A processor chain with every option filled in. */
    public record Resolved(List<String> processors, ProcessorOptions options) {
        public Resolved {
            processors = List.copyOf(processors);
        }
    }

    private ProcessorSettings() {
    }

    /** Problems a studio can fix, in plain words; empty when the options are usable. */
    public static List<String> problems(ProcessorOptions options) {
        return OptionRules.problems(options);
    }

    /** The chain and every option filled in, choosing by what {@code models} has; call {@link #problems} first. */
    public static Resolved resolve(List<String> processors, ProcessorOptions options, ModelStore models) {
        ProcessorOptions o = options == null ? ProcessorOptions.DEFAULTS : options;
        String swapper = o.faceSwapperModel() != null ? o.faceSwapperModel() : firstUsable(SWAPPER_PREFERENCE, models, true);
        String enhancer = o.faceEnhancerModel() != null ? o.faceEnhancerModel() : firstUsable(ENHANCER_PREFERENCE, models, false);
        List<String> chain = processors;
        if (chain == null) {
            if (usableSwapper(SwapperModel.byId(swapper), models)) {
                chain = usable(enhancer, models) ? List.of(FaceSwapper.NAME, FaceEnhancer.NAME) : List.of(FaceSwapper.NAME);
            } else {
                chain = List.of(MeshSwapper.NAME);
            }
        }
        SwapperModel swapperModel = SwapperModel.byId(swapper);
        ProcessorOptions resolved = new ProcessorOptions(swapper,
                o.faceSwapperPixelBoost() == null ? swapperModel.size() : o.faceSwapperPixelBoost(),
                o.faceSwapperWeight() == null ? FaceSwapper.DEFAULT_WEIGHT : o.faceSwapperWeight(),
                enhancer,
                o.faceEnhancerBlend() == null ? FaceEnhancer.DEFAULT_BLEND : o.faceEnhancerBlend(),
                o.faceEnhancerWeight() == null ? FaceEnhancer.DEFAULT_WEIGHT : o.faceEnhancerWeight(),
                o.faceMaskTypes() == null || o.faceMaskTypes().isEmpty() ? List.of("box") : o.faceMaskTypes(),
                o.faceMaskBlur() == null ? DEFAULT_MASK_BLUR : o.faceMaskBlur(),
                o.faceMaskPadding() == null ? List.of(0, 0, 0, 0) : o.faceMaskPadding(),
                o.faceMaskAreas() == null ? List.of("upper-face", "lower-face", "mouth") : o.faceMaskAreas(),
                o.faceMaskRegions() == null ? List.of("skin", "left-eyebrow", "right-eyebrow", "left-eye", "right-eye", "glasses", "nose", "mouth",
                        "upper-lip", "lower-lip") : o.faceMaskRegions(),
                o.faceOccluderModel() == null ? OCCLUDERS.get(0) : o.faceOccluderModel(),
                o.faceParserModel() == null ? "bisenet_resnet_34" : o.faceParserModel(),
                o.meshSwapperBlend() == null ? MeshSwapper.Blend.MULTIBAND.optionName() : o.meshSwapperBlend(),
                o.lipSyncerModel() == null ? LipSyncer.DEFAULT_MODEL : o.lipSyncerModel(),
                o.lipSyncerWeight() == null ? LipSyncer.DEFAULT_WEIGHT : o.lipSyncerWeight(),
                o.voiceExtractorModel() != null ? o.voiceExtractorModel()
                        : VoiceExtractor.MODELS.stream().filter(id -> usable(id, models)).findFirst().orElse(NO_VOICE_EXTRACTOR));
        return new Resolved(chain, resolved);
    }

    private static String firstUsable(List<String> preference, ModelStore models, boolean swappers) {
        for (String id : preference) {
            if (swappers ? usableSwapper(SwapperModel.byId(id), models) : usable(id, models)) {
                return id;
            }
        }
        return preference.get(0);
    }

    private static boolean usable(String id, ModelStore models) {
        return models.installed(id) && models.licenseAccepted(id);
    }

    private static boolean usableSwapper(SwapperModel model, ModelStore models) {
        List<String> ids = new ArrayList<>(List.of(model.id()));
        if (!model.source().isImage()) {
            ids.add(FaceRecognizer.ARCFACE);
        }
        if (model.converter() != null) {
            ids.add(model.converter());
        }
        return ids.stream().allMatch(id -> usable(id, models));
    }

    /** Manifest ids of the models a resolved chain loads, in load order, without repeats. */
    public static List<String> modelIds(Resolved resolved) {
        ProcessorOptions o = resolved.options();
        List<String> ids = new ArrayList<>();
        for (String processor : resolved.processors()) {
            switch (processor) {
                case FaceSwapper.NAME -> {
                    SwapperModel model = SwapperModel.byId(o.faceSwapperModel());
                    ids.add(model.id());
                    if (!model.source().isImage()) {
                        ids.add(FaceRecognizer.ARCFACE);
                    }
                    if (model.converter() != null) {
                        ids.add(model.converter());
                    }
                    masks(o, true, ids);
                }
                case FaceEnhancer.NAME -> {
                    ids.add(o.faceEnhancerModel());
                    masks(o, false, ids);
                }
                case MeshSwapper.NAME -> ids.add(FaceMesh468.MODEL_ID);
                case LipSyncer.NAME -> {
                    ids.add(o.lipSyncerModel());
                    if (!NO_VOICE_EXTRACTOR.equals(o.voiceExtractorModel())) {
                        ids.add(o.voiceExtractorModel());
                    }
                    masks(o, false, ids);
                }
                default -> {
                }
            }
        }
        return ids.stream().distinct().toList();
    }

    private static void masks(ProcessorOptions o, boolean regions, List<String> ids) {
        if (o.faceMaskTypes().contains("occlusion")) {
            ids.add(o.faceOccluderModel());
        }
        if (regions && o.faceMaskTypes().contains("region")) {
            ids.add(o.faceParserModel());
        }
    }
}
