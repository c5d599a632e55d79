package facefarm.worker.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy NMS as OpenCV's NMSBoxes does it: best score first, drop boxes whose IoU with a kept one exceeds the threshold. */
public final class NonMaxSuppression {
    /** FaceFusion's IoU threshold with a single detection angle. */
    public static final float DEFAULT_IOU = 0.4f;

    private NonMaxSuppression() {
    }

    public static List<Face> apply(List<Face> faces, float iouThreshold) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face candidate : sorted) {
            boolean overlaps = false;
            for (Face keeper : kept) {
                if (keeper.box().iou(candidate.box()) > iouThreshold) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
