package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * FaceFusion's face_enhancer (facefusion.md 3.7): the face cropped with the model's template, RGB in [-1, 1]; the
 * output clipped to [-1, 1] and mapped back; pasted with a box mask (zero padding) and occlusion when chosen; then
 * the frame is blended with its pre-enhancement self, {@code frame·(1−b) + enhanced·b}.
 */
public final class FaceEnhancer implements FrameProcessor {
    public static final String NAME = "face_enhancer";
    public static final int DEFAULT_BLEND = 80;
    public static final float DEFAULT_WEIGHT = 0.5f;

    private final EnhancerModel model;
    private final OnnxModel session;
    private final FaceMasker masker;
    private final float blend;
    private final float weight;
    private final String imageInput;

    /** @param masker box (zero padding) and, when chosen, occlusion; @param blend 0-100; the session and masker close with this */
    public FaceEnhancer(EnhancerModel model, OnnxModel session, FaceMasker masker, int blend, float weight) {
        this.model = model;
        this.session = session;
        this.masker = masker;
        this.blend = blend / 100f;
        this.weight = weight;
        this.imageInput = session.inputNames().stream().filter(n -> !n.equals("weight")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(model.id() + " has no image input"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        for (Face face : faces) {
            enhance(frame, face);
        }
    }

    public void enhance(Mat frame, Face face) {
        double[] matrix = FaceWarp.matrix(face.alignment(), model.template(), model.size());
        Rect box = PasteBack.box(frame, model.size(), model.size(), matrix);
        if (box == null) {
            return;
        }
        // the paste changes only its box, so only the box is kept for the blend
        try (Mat crop = FaceWarp.crop(frame, matrix, model.size());
             Mat mask = FaceMasker.combine(new ArrayList<>(masker.beforeSwap(crop)), crop.cols(), crop.rows());
             Mat enhanced = enhanceCrop(crop);
             Mat region = new Mat(frame, box);
             Mat original = region.clone()) {
            PasteBack.paste(frame, enhanced, mask, matrix);
            blendWith(original, region, blend);
        }
    }

    public Mat enhanceCrop(Mat crop) {
        return CropRange.HALF.image(session.run(inputs(crop))[0], crop.cols());
    }

    /** The crop in [-1, 1]; CodeFormer also gets its fidelity weight (a float64 of shape [1]). */
    List<OnnxModel.Input> inputs(Mat crop) {
        List<OnnxModel.Input> inputs = new ArrayList<>(2);
        inputs.add(new OnnxModel.Input(imageInput, CropRange.HALF.tensor(crop), 1, 3, crop.rows(), crop.cols()));
        if (session.inputNames().contains("weight")) {
            inputs.add(new OnnxModel.Input("weight", new float[] {weight}, 1));
        }
        return inputs;
    }

    /** {@code frame = original·(1−b) + frame·b}, rounded; unchanged pixels stay exact. */
    static void blendWith(Mat original, Mat frame, float b) {
        opencv_core.addWeighted(original, 1 - b, frame, b, 0, frame);
    }

    @Override
    public void close() {
        session.close();
        masker.close();
    }
}
