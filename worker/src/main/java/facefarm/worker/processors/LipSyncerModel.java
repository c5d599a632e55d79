package facefarm.worker.processors;

import java.util.Arrays;
import java.util.List;

/**
 * FaceFusion's lip syncer contracts (facefusion.md 3.8). Wav2Lip redraws a 96 px box around the mouth from a BGR crop
 * whose lower half is hidden; EDTalk redraws the whole 256 px RGB face crop and takes the weight as an input.
 */
public enum LipSyncerModel {
    WAV2LIP_96("wav2lip_96", Kind.WAV2LIP, 96),
    WAV2LIP_GAN_96("wav2lip_gan_96", Kind.WAV2LIP, 96),
    EDTALK_256("edtalk_256", Kind.EDTALK, 256);

    public enum Kind { WAV2LIP, EDTALK }

    public static final List<String> IDS = Arrays.stream(values()).map(LipSyncerModel::id).toList();

    private final String id;
    private final Kind kind;
    private final int size;

    LipSyncerModel(String id, Kind kind, int size) {
        this.id = id;
        this.kind = kind;
        this.size = size;
    }

    public static LipSyncerModel byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown lip syncer model '" + id + "' (known: " + String.join(", ", IDS) + ")"));
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** The model's square input size. */
    public int size() {
        return size;
    }
}
