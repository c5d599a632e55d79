package facefarm.worker.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * RetinaFace and SCRFD output decoding, as FaceFusion does it: for strides 8/16/32, outputs i (scores), i+3 (box
 * distances) and i+6 (landmark offsets); two anchors per grid cell at (col, row) * stride, row-major; keep score >=
 * threshold; box = anchor -/+ distance * stride; points = anchor + offset * stride; all times the input ratio.
 */
public final class AnchorDecoder {
    public static final int[] STRIDES = {8, 16, 32};
    public static final int ANCHORS_PER_CELL = 2;

    private AnchorDecoder() {
    }

    public static List<Face> decode(float[][] outputs, int inputSize, float ratioX, float ratioY, float scoreThreshold) {
        List<Face> faces = new ArrayList<>();
        for (int s = 0; s < STRIDES.length; s++) {
            int stride = STRIDES[s];
            int cols = inputSize / stride;
            float[] scores = outputs[s];
            float[] boxes = outputs[s + 3];
            float[] points = outputs[s + 6];
            for (int a = 0; a < scores.length; a++) {
                if (scores[a] < scoreThreshold) {
                    continue;
                }
                int cell = a / ANCHORS_PER_CELL;
                float ax = (cell % cols) * stride;
                float ay = (cell / cols) * stride;
                Box box = new Box((ax - boxes[a * 4] * stride) * ratioX, (ay - boxes[a * 4 + 1] * stride) * ratioY,
                        (ax + boxes[a * 4 + 2] * stride) * ratioX, (ay + boxes[a * 4 + 3] * stride) * ratioY);
                List<Point> landmark5 = new ArrayList<>(5);
                for (int p = 0; p < 5; p++) {
                    landmark5.add(new Point((ax + points[a * 10 + 2 * p] * stride) * ratioX, (ay + points[a * 10 + 2 * p + 1] * stride) * ratioY));
                }
                faces.add(Face.detected(box, scores[a], landmark5));
            }
        }
        return faces;
    }
}
