package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

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
        try (Mat crop = FaceWarp.crop(frame, matrix, model.size());
             Mat mask = FaceMasker.combine(new ArrayList<>(masker.beforeSwap(crop)), crop.cols(), crop.rows());
             Mat enhanced = enhanceCrop(crop);
             Mat original = frame.clone()) {
            PasteBack.paste(frame, enhanced, mask, matrix);
            blendWith(original, frame, blend);
        }
    }

    public Mat enhanceCrop(Mat crop) {
        return decode(session.run(inputs(crop))[0], crop.cols());
    }

    /** The crop in [-1, 1]; CodeFormer also gets its fidelity weight (a float64 of shape [1]). */
    List<OnnxModel.Input> inputs(Mat crop) {
        List<OnnxModel.Input> inputs = new ArrayList<>(2);
        inputs.add(new OnnxModel.Input(imageInput, prepare(crop), 1, 3, crop.rows(), crop.cols()));
        if (session.inputNames().contains("weight")) {
            inputs.add(new OnnxModel.Input("weight", new float[] {weight}, 1));
        }
        return inputs;
    }

    /** BGR crop to NCHW RGB in [-1, 1]. */
    public static float[] prepare(Mat crop) {
        return FaceWarp.planes(crop, true, v -> (v / 255f - 0.5f) / 0.5f);
    }

    /** NCHW RGB in [-1, 1] (clipped) back to a BGR crop, rounded. */
    public static Mat decode(float[] chw, int size) {
        int plane = size * size;
        byte[] bgr = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = Math.max(-1, Math.min(1, chw[c * plane + i]));
                bgr[3 * i + 2 - c] = (byte) Math.round((v + 1) / 2 * 255);
            }
        }
        Mat crop = new Mat(size, size, opencv_core.CV_8UC3);
        ((ByteBuffer) crop.createBuffer()).put(bgr);
        return crop;
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
