package facefarm.worker.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * yolo_face (YOLOv8-face) output decoding: one (1, 20, N) tensor read as N rows of [cx, cy, w, h, score, (x, y, conf) x 5];
 * keep score > threshold (strictly, as FaceFusion does for this model); box and points times the input ratio.
 */
public final class YoloFaceDecoder {
    private YoloFaceDecoder() {
    }

    public static List<Face> decode(float[] output, float ratioX, float ratioY, float scoreThreshold) {
        if (output.length % 20 != 0) {
            throw new IllegalArgumentException("yolo_face output has " + output.length + " values, not a multiple of 20");
        }
        int n = output.length / 20;
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float score = output[4 * n + i];
            if (score <= scoreThreshold) {
                continue;
            }
            float cx = output[i];
            float cy = output[n + i];
            float w = output[2 * n + i];
            float h = output[3 * n + i];
            Box box = new Box((cx - w / 2) * ratioX, (cy - h / 2) * ratioY, (cx + w / 2) * ratioX, (cy + h / 2) * ratioY);
            List<Point> landmark5 = new ArrayList<>(5);
            for (int p = 0; p < 5; p++) {
                landmark5.add(new Point(output[(5 + 3 * p) * n + i] * ratioX, output[(6 + 3 * p) * n + i] * ratioY));
            }
            faces.add(Face.detected(box, score, landmark5));
        }
        return faces;
    }
}
