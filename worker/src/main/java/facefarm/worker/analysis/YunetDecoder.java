package facefarm.worker.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns YuNet's 12 outputs (cls, obj, bbox, kps at strides 8/16/32) into faces in frame coordinates, as FaceFusion
 * decodes them: score = cls * obj; one anchor per cell at (col, row) * stride; centre = bbox[0:2] * stride + anchor;
 * size = exp(bbox[2:4]) * stride; points = kps * stride + anchor; all times the input ratio.
 */
public final class YunetDecoder {
    public static final int[] STRIDES = {8, 16, 32};

    private YunetDecoder() {
    }

    /**
     * @param outputs the model's outputs in order: cls x3, obj x3, bbox x3, kps x3, each flattened
     */
    public static List<Face> decode(float[][] outputs, int inputSize, float ratioX, float ratioY, float scoreThreshold) {
        List<Face> faces = new ArrayList<>();
        for (int s = 0; s < STRIDES.length; s++) {
            int stride = STRIDES[s];
            int cols = inputSize / stride;
            float[] cls = outputs[s];
            float[] obj = outputs[s + 3];
            float[] bbox = outputs[s + 6];
            float[] kps = outputs[s + 9];
            int cells = cls.length;
            for (int c = 0; c < cells; c++) {
                float score = cls[c] * obj[c];
                if (score < scoreThreshold) {
                    continue;
                }
                float ax = (c % cols) * stride;
                float ay = (c / cols) * stride;
                float cx = bbox[c * 4] * stride + ax;
                float cy = bbox[c * 4 + 1] * stride + ay;
                float w = (float) Math.exp(bbox[c * 4 + 2]) * stride;
                float h = (float) Math.exp(bbox[c * 4 + 3]) * stride;
                Box box = new Box((cx - w / 2) * ratioX, (cy - h / 2) * ratioY, (cx + w / 2) * ratioX, (cy + h / 2) * ratioY);
                List<Point> points = new ArrayList<>(5);
                for (int p = 0; p < 5; p++) {
                    points.add(new Point((kps[c * 10 + p * 2] * stride + ax) * ratioX, (kps[c * 10 + p * 2 + 1] * stride + ay) * ratioY));
                }
                faces.add(Face.detected(box, score, points));
            }
        }
        return faces;
    }
}
