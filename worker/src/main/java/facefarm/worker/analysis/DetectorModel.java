package facefarm.worker.analysis;

import java.util.List;

/** FaceFusion's detector models: manifest id, input normalisation, sizes they accept, and output decoding. */
public enum DetectorModel {
    YUNET("yunet", "yunet_2023_mar", 12, List.of(640), DetectorInput.ValueMap.RAW),
    SCRFD("scrfd", "scrfd_2.5g", 9, List.of(160, 320, 480, 512, 640), v -> (v - 127.5f) / 128f),
    RETINAFACE("retinaface", "retinaface_10g", 9, List.of(160, 320, 480, 512, 640), v -> (v - 127.5f) / 128f),
    YOLO_FACE("yolo_face", "yoloface_8n", 1, List.of(640), v -> v / 255f);

    private final String optionName;
    private final String modelId;
    private final int outputs;
    private final List<Integer> sizes;
    private final DetectorInput.ValueMap normalise;

    DetectorModel(String optionName, String modelId, int outputs, List<Integer> sizes, DetectorInput.ValueMap normalise) {
        this.optionName = optionName;
        this.modelId = modelId;
        this.outputs = outputs;
        this.sizes = sizes;
        this.normalise = normalise;
    }

    /** The name FaceFusion's --face-detector-model uses. */
    public String optionName() {
        return optionName;
    }

    public String modelId() {
        return modelId;
    }

    public int outputs() {
        return outputs;
    }

    public List<Integer> sizes() {
        return sizes;
    }

    public DetectorInput.ValueMap normalise() {
        return normalise;
    }

    public List<Face> decode(float[][] outputs, int size, float ratioX, float ratioY, float score) {
        return switch (this) {
            case YUNET -> YunetDecoder.decode(outputs, size, ratioX, ratioY, score);
            case SCRFD, RETINAFACE -> AnchorDecoder.decode(outputs, size, ratioX, ratioY, score);
            case YOLO_FACE -> YoloFaceDecoder.decode(outputs[0], ratioX, ratioY, score);
        };
    }

    public static DetectorModel byName(String name) {
        for (DetectorModel model : values()) {
            if (model.optionName.equals(name)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown face detector '" + name + "' (known: yunet, scrfd, retinaface, yolo_face, many)");
    }
}
