package facefarm.worker.processors;

import facefarm.worker.analysis.WarpTemplate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * FaceFusion's face swapper contracts (facefusion.md 3.5): the crop template and size, the crop's normalisation, what
 * the {@code source} input is, and whether the output is in the normalised range (and must be mapped back).
 */
public enum SwapperModel {
    INSWAPPER_128("inswapper_128", WarpTemplate.ARCFACE_128, 128, Source.INSWAPPER, null,
            CropRange.UNIT, CropRange.UNIT, 128, 256, 384, 512, 768, 1024),
    INSWAPPER_128_FP16("inswapper_128_fp16", WarpTemplate.ARCFACE_128, 128, Source.INSWAPPER, null,
            CropRange.UNIT, CropRange.UNIT, 128, 256, 384, 512, 768, 1024),
    HYPERSWAP_1A_256("hyperswap_1a_256", WarpTemplate.ARCFACE_128, 256, Source.NORMED_EMBEDDING, null,
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    HYPERSWAP_1B_256("hyperswap_1b_256", WarpTemplate.ARCFACE_128, 256, Source.NORMED_EMBEDDING, null,
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    HYPERSWAP_1C_256("hyperswap_1c_256", WarpTemplate.ARCFACE_128, 256, Source.NORMED_EMBEDDING, null,
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    GHOST_1_256("ghost_1_256", WarpTemplate.ARCFACE_112_V1, 256, Source.CONVERTED, "crossface_ghost",
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    GHOST_2_256("ghost_2_256", WarpTemplate.ARCFACE_112_V1, 256, Source.CONVERTED, "crossface_ghost",
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    GHOST_3_256("ghost_3_256", WarpTemplate.ARCFACE_112_V1, 256, Source.CONVERTED, "crossface_ghost",
            CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024),
    SIMSWAP_256("simswap_256", WarpTemplate.ARCFACE_112_V1, 256, Source.CONVERTED_NORMED, "crossface_simswap",
            CropRange.IMAGENET, CropRange.UNIT, 256, 512, 768, 1024),
    SIMSWAP_UNOFFICIAL_512("simswap_unofficial_512", WarpTemplate.ARCFACE_112_V1, 512, Source.CONVERTED_NORMED, "crossface_simswap", CropRange.UNIT,
            CropRange.UNIT, 512, 768, 1024),
    HIFIFACE_UNOFFICIAL_256("hififace_unofficial_256", WarpTemplate.MTCNN_512, 256, Source.CONVERTED_NORMED, "crossface_hififace", CropRange.HALF,
            CropRange.HALF, 256, 512, 768, 1024),
    BLENDSWAP_256("blendswap_256", WarpTemplate.FFHQ_512, 256, Source.IMAGE_ARCFACE_112, null,
            CropRange.UNIT, CropRange.UNIT, 256, 384, 512, 768, 1024),
    UNIFACE_256("uniface_256", WarpTemplate.FFHQ_512, 256, Source.IMAGE_FFHQ_256, null, CropRange.HALF, CropRange.HALF, 256, 512, 768, 1024);

    /** What the model's {@code source} input holds. */
    public enum Source {
        /** raw ArcFace embedding times the model's embedding map, over the raw norm */
        INSWAPPER,
        /** the unit-length ArcFace embedding */
        NORMED_EMBEDDING,
        /** the raw embedding through the crossface converter */
        CONVERTED,
        /** the raw embedding through the crossface converter, then unit length */
        CONVERTED_NORMED,
        /** the source face cropped with arcface_112_v2 at 112, RGB / 255 */
        IMAGE_ARCFACE_112,
        /** the source face cropped with ffhq_512 at 256, RGB / 255 */
        IMAGE_FFHQ_256;

        public boolean isImage() {
            return this == IMAGE_ARCFACE_112 || this == IMAGE_FFHQ_256;
        }
    }

    private final String id;
    private final WarpTemplate template;
    private final int size;
    private final Source source;
    private final String converter;
    private final CropRange input;
    private final CropRange output;
    private final int[] pixelBoosts;

    SwapperModel(String id, WarpTemplate template, int size, Source source, String converter, CropRange input, CropRange output, int... pixelBoosts) {
        this.id = id;
        this.template = template;
        this.size = size;
        this.source = source;
        this.converter = converter;
        this.input = input;
        this.output = output;
        this.pixelBoosts = pixelBoosts;
    }

    public static final List<String> IDS = Arrays.stream(values()).map(SwapperModel::id).toList();

    public static SwapperModel byId(String id) {
        for (SwapperModel model : values()) {
            if (model.id.equals(id)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown face swapper model '" + id + "' (known: " + String.join(", ", IDS) + ")");
    }

    /** Manifest id and FaceFusion's name. */
    public String id() {
        return id;
    }

    public WarpTemplate template() {
        return template;
    }

    public int size() {
        return size;
    }

    public Source source() {
        return source;
    }

    /** The crossface model that converts the embedding, or null. */
    public String converter() {
        return converter;
    }

    public CropRange input() {
        return input;
    }

    /** The range the output is in: UNIT outputs are used as they are, HALF ones mapped from [-1, 1]. */
    public CropRange output() {
        return output;
    }

    public List<Integer> pixelBoosts() {
        return Arrays.stream(pixelBoosts).boxed().toList();
    }

    /** FaceFusion's weight applies to embedding models only; it normalises the target embedding for these types. */
    public boolean normalisesTargetEmbedding() {
        return source == Source.INSWAPPER || source == Source.NORMED_EMBEDDING || source == Source.CONVERTED_NORMED;
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
