package facefarm.worker.processors;

import facefarm.worker.analysis.WarpTemplate;
import java.util.Arrays;
import java.util.List;

/** FaceFusion's face enhancer contracts (facefusion.md 3.7): crop template and size; CodeFormer alone takes a weight. */
public enum EnhancerModel {
    GFPGAN_1_2("gfpgan_1.2", WarpTemplate.FFHQ_512, 512),
    GFPGAN_1_3("gfpgan_1.3", WarpTemplate.FFHQ_512, 512),
    GFPGAN_1_4("gfpgan_1.4", WarpTemplate.FFHQ_512, 512),
    CODEFORMER("codeformer", WarpTemplate.FFHQ_512, 512),
    GPEN_BFR_256("gpen_bfr_256", WarpTemplate.ARCFACE_128, 256),
    GPEN_BFR_512("gpen_bfr_512", WarpTemplate.FFHQ_512, 512),
    GPEN_BFR_1024("gpen_bfr_1024", WarpTemplate.FFHQ_512, 1024),
    GPEN_BFR_2048("gpen_bfr_2048", WarpTemplate.FFHQ_512, 2048),
    RESTOREFORMER_PLUS_PLUS("restoreformer_plus_plus", WarpTemplate.FFHQ_512, 512);

    public static final List<String> IDS = Arrays.stream(values()).map(EnhancerModel::id).toList();

    private final String id;
    private final WarpTemplate template;
    private final int size;

    EnhancerModel(String id, WarpTemplate template, int size) {
        this.id = id;
        this.template = template;
        this.size = size;
    }

    public static EnhancerModel byId(String id) {
        for (EnhancerModel model : values()) {
            if (model.id.equals(id)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown face enhancer model '" + id + "' (known: " + String.join(", ", IDS) + ")");
    }

    public String id() {
        return id;
    }

    public WarpTemplate template() {
        return template;
    }

    public int size() {
        return size;
    }
}
