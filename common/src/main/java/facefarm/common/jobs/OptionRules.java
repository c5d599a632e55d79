package facefarm.common.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of a job's analysis and processor options (FaceFusion's names, the sizes each model takes) and the
 * checks that need no model and no media, so the coordinator refuses bad options with a 400 before anything runs.
 * The workers' model classes carry the same names; a worker test keeps the two in step.
 */
public final class OptionRules {
    public static final List<String> PROCESSORS = List.of("face_swapper", "face_enhancer", "mesh_swapper", "lip_syncer", "face_debugger");
    /** Detector option names and the sizes each takes; "many" runs retinaface, scrfd and yolo_face. */
    public static final Map<String, List<Integer>> DETECTOR_SIZES = ordered("yunet", List.of(640), "scrfd", List.of(160, 320, 480, 512, 640),
            "retinaface", List.of(160, 320, 480, 512, 640), "yolo_face", List.of(640), "many", List.of(160, 320, 480, 512, 640));
    public static final int DEFAULT_DETECTOR_SIZE = 640;
    public static final List<String> LANDMARKERS = List.of("2dfan4", "peppa_wutz", "many", "none");
    public static final List<String> SELECTOR_MODES = List.of("reference", "one", "many");
    public static final List<String> SELECTOR_ORDERS = List.of("left-right", "right-left", "top-bottom", "bottom-top", "small-large", "large-small",
            "best-worst", "worst-best");
    public static final int MAX_SMOOTHING_WINDOW = 12;
    /** Swapper ids and the pixel boosts each offers; FaceFusion's default swapper first. */
    public static final Map<String, List<Integer>> SWAPPER_PIXEL_BOOSTS = swappers();
    public static final List<String> ENHANCERS = List.of("gfpgan_1.2", "gfpgan_1.3", "gfpgan_1.4", "codeformer", "gpen_bfr_256", "gpen_bfr_512",
            "gpen_bfr_1024", "gpen_bfr_2048", "restoreformer_plus_plus");
    public static final List<String> MASK_TYPES = List.of("box", "occlusion", "area", "region");
    public static final List<String> MASK_AREAS = List.of("upper-face", "lower-face", "mouth");
    public static final List<String> MASK_REGIONS = List.of("skin", "left-eyebrow", "right-eyebrow", "left-eye", "right-eye", "glasses", "nose",
            "mouth", "upper-lip", "lower-lip");
    public static final List<String> OCCLUDERS = List.of("xseg_1", "xseg_2", "xseg_3");
    public static final List<String> PARSERS = List.of("bisenet_resnet_18", "bisenet_resnet_34");
    public static final List<String> MESH_BLENDS = List.of("multiband", "feathered", "seamless");
    public static final List<String> LIP_SYNCERS = List.of("wav2lip_96", "wav2lip_gan_96", "edtalk_256");
    public static final List<String> VOICE_EXTRACTORS = List.of("kim_vocal_2", "kim_vocal_1", "uvr_mdxnet");
    public static final String NO_VOICE_EXTRACTOR = "none";

    private OptionRules() {
    }

    /** Problems a studio can fix in the analysis options, in plain words; empty when usable. Null options are the defaults. */
    public static List<String> problems(AnalysisOptions options) {
        List<String> problems = new ArrayList<>();
        if (options == null) {
            return problems;
        }
        String detector = options.faceDetectorModel();
        if (detector != null && !DETECTOR_SIZES.containsKey(detector)) {
            problems.add("unknown face detector '" + detector + "' (known: " + String.join(", ", DETECTOR_SIZES.keySet()) + ")");
        } else if (options.faceDetectorSize() != null) {
            List<Integer> sizes = detector == null ? List.of(DEFAULT_DETECTOR_SIZE) : DETECTOR_SIZES.get(detector);
            if (!sizes.contains(options.faceDetectorSize())) {
                problems.add("face detector " + (detector == null ? "default" : "'" + detector + "'") + " takes sizes " + sizes + ", not "
                        + options.faceDetectorSize());
            }
        }
        Float score = options.faceDetectorScore();
        if (score != null && !(score >= 0 && score <= 1)) {
            problems.add("face detector score must be between 0 and 1, got " + score);
        }
        List<Integer> margin = options.faceDetectorMargin();
        if (margin != null) {
            if (margin.size() != 4) {
                problems.add("face detector margin takes 4 values (top right bottom left)");
            } else {
                margin.stream().filter(m -> m == null || m < 0 || m > 100).findFirst()
                        .ifPresent(m -> problems.add("face detector margin values are percentages 0-100, got " + m));
            }
        }
        if (options.faceDetectorAngles() != null) {
            options.faceDetectorAngles().stream().filter(a -> a == null || (a != 0 && a != 90 && a != 180 && a != 270)).findFirst()
                    .ifPresent(a -> problems.add("face detector angles are 0, 90, 180 or 270, got " + a));
        }
        known(problems, "face landmarker", options.faceLandmarkerModel(), LANDMARKERS);
        range(problems, "face landmarker score must be between 0 and 1", options.faceLandmarkerScore(), 0, 1);
        known(problems, "face selector mode", options.faceSelectorMode(), SELECTOR_MODES);
        known(problems, "face selector order", options.faceSelectorOrder(), SELECTOR_ORDERS);
        if (options.referenceFacePosition() != null && options.referenceFacePosition() < 0) {
            problems.add("reference face position must be 0 or more, got " + options.referenceFacePosition());
        }
        range(problems, "reference face distance must be between 0 and 1", options.referenceFaceDistance(), 0, 1);
        if (options.referenceFrameNumber() != null && options.referenceFrameNumber() < 0) {
            problems.add("reference frame number must be 0 or more, got " + options.referenceFrameNumber());
        }
        if (options.smoothingWindow() != null && smoothingWindowProblem(options.smoothingWindow()) != null) {
            problems.add(smoothingWindowProblem(options.smoothingWindow()));
        }
        if (options.faceMap() != null) {
            if (options.faceMap().size() > FaceMapping.MAX) {
                problems.add("a face map takes at most " + FaceMapping.MAX + " people, got " + options.faceMap().size());
            }
            for (FaceMapping m : options.faceMap()) {
                if (m == null || m.referenceFrame() < 0 || m.referencePosition() < 0 || m.source() < 0) {
                    problems.add("each face map entry names a reference frame, a face position in it and a source, all 0 or more, got "
                            + (m == null ? "null" : m.label()));
                }
            }
        }
        return problems;
    }

    /** Why a smoothing window cannot be used; null when it can. */
    public static String smoothingWindowProblem(int window) {
        return window < 0 || window > MAX_SMOOTHING_WINDOW
                ? "smoothing window must be between 0 (off) and " + MAX_SMOOTHING_WINDOW + " frames each side, got " + window : null;
    }

    /** Problems a studio can fix in the processor options, in plain words; empty when usable. */
    public static List<String> problems(ProcessorOptions o) {
        List<String> problems = new ArrayList<>();
        if (o == null) {
            return problems;
        }
        if (o.faceSwapperModel() != null && !SWAPPER_PIXEL_BOOSTS.containsKey(o.faceSwapperModel())) {
            problems.add("unknown faceSwapperModel '" + o.faceSwapperModel() + "' (known: " + String.join(", ", SWAPPER_PIXEL_BOOSTS.keySet()) + ")");
        } else if (o.faceSwapperPixelBoost() != null) {
            String model = o.faceSwapperModel() == null ? SWAPPER_PIXEL_BOOSTS.keySet().iterator().next() : o.faceSwapperModel();
            if (!SWAPPER_PIXEL_BOOSTS.get(model).contains(o.faceSwapperPixelBoost())) {
                problems.add("faceSwapperPixelBoost " + o.faceSwapperPixelBoost() + " is not one of " + model + "'s " + SWAPPER_PIXEL_BOOSTS.get(model));
            }
        }
        range(problems, "faceSwapperWeight must be from 0 to 1", o.faceSwapperWeight(), 0, 1);
        if (o.faceEnhancerModel() != null && !ENHANCERS.contains(o.faceEnhancerModel())) {
            problems.add("unknown faceEnhancerModel '" + o.faceEnhancerModel() + "' (known: " + String.join(", ", ENHANCERS) + ")");
        }
        range(problems, "faceEnhancerBlend must be from 0 to 100", o.faceEnhancerBlend() == null ? null : o.faceEnhancerBlend().floatValue(), 0, 100);
        range(problems, "faceEnhancerWeight must be from 0 to 1", o.faceEnhancerWeight(), 0, 1);
        knownAll(problems, "faceMaskTypes", o.faceMaskTypes(), MASK_TYPES);
        knownAll(problems, "faceMaskAreas", o.faceMaskAreas(), MASK_AREAS);
        knownAll(problems, "faceMaskRegions", o.faceMaskRegions(), MASK_REGIONS);
        range(problems, "faceMaskBlur must be from 0 to 1", o.faceMaskBlur(), 0, 1);
        if (o.faceMaskPadding() != null && (o.faceMaskPadding().size() != 4 || o.faceMaskPadding().stream().anyMatch(p -> p == null || p < 0 || p > 100))) {
            problems.add("faceMaskPadding must be four percentages (top, right, bottom, left) from 0 to 100, got " + o.faceMaskPadding());
        }
        if (o.faceOccluderModel() != null && !OCCLUDERS.contains(o.faceOccluderModel())) {
            problems.add("unknown faceOccluderModel '" + o.faceOccluderModel() + "' (known: " + String.join(", ", OCCLUDERS) + ")");
        }
        if (o.faceParserModel() != null && !PARSERS.contains(o.faceParserModel())) {
            problems.add("unknown faceParserModel '" + o.faceParserModel() + "' (known: " + String.join(", ", PARSERS) + ")");
        }
        known(problems, "mesh swapper blend", o.meshSwapperBlend(), MESH_BLENDS);
        if (o.lipSyncerModel() != null && !LIP_SYNCERS.contains(o.lipSyncerModel())) {
            problems.add("unknown lipSyncerModel '" + o.lipSyncerModel() + "' (known: " + String.join(", ", LIP_SYNCERS) + ")");
        }
        range(problems, "lipSyncerWeight must be from 0 to 1", o.lipSyncerWeight(), 0, 1);
        if (o.voiceExtractorModel() != null && !o.voiceExtractorModel().equals(NO_VOICE_EXTRACTOR) && !VOICE_EXTRACTORS.contains(o.voiceExtractorModel())) {
            problems.add("unknown voiceExtractorModel '" + o.voiceExtractorModel() + "' (known: " + String.join(", ", VOICE_EXTRACTORS) + ", "
                    + NO_VOICE_EXTRACTOR + ")");
        }
        return problems;
    }

    private static void known(List<String> problems, String what, String value, List<String> known) {
        if (value != null && !known.contains(value)) {
            problems.add("unknown " + what + " '" + value + "' (known: " + String.join(", ", known) + ")");
        }
    }

    private static void knownAll(List<String> problems, String name, List<String> values, List<String> known) {
        if (values == null) {
            return;
        }
        for (String value : values) {
            if (!known.contains(value)) {
                problems.add("unknown " + name + " value '" + value + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static void range(List<String> problems, String rule, Float value, float min, float max) {
        if (value != null && !(value >= min && value <= max)) {
            problems.add(rule + ", got " + value);
        }
    }

    private static Map<String, List<Integer>> swappers() {
        List<Integer> from128 = List.of(128, 256, 384, 512, 768, 1024);
        List<Integer> from256 = List.of(256, 512, 768, 1024);
        Map<String, List<Integer>> boosts = new LinkedHashMap<>();
        for (String id : List.of("hyperswap_1a_256", "hyperswap_1b_256", "hyperswap_1c_256")) {
            boosts.put(id, from256);
        }
        boosts.put("inswapper_128", from128);
        boosts.put("inswapper_128_fp16", from128);
        for (String id : List.of("ghost_1_256", "ghost_2_256", "ghost_3_256", "simswap_256", "hififace_unofficial_256", "uniface_256")) {
            boosts.put(id, from256);
        }
        boosts.put("simswap_unofficial_512", List.of(512, 768, 1024));
        boosts.put("blendswap_256", List.of(256, 384, 512, 768, 1024));
        return java.util.Collections.unmodifiableMap(boosts);
    }

    private static Map<String, List<Integer>> ordered(Object... pairs) {
        Map<String, List<Integer>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Integer> sizes = (List<Integer>) pairs[i + 1];
            map.put((String) pairs[i], sizes);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
