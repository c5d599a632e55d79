package facefarm.worker.processors.meshswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.MeshedFace;
import facefarm.worker.analysis.Point;
import facefarm.worker.processors.MeshSwapper;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** What the target keeps: its eyes alone while they are open, its lids too through a blink. */
class SwapMaskTest {

    @Test
    void closureIsNoneForOpenEyesFullForABlinkAndFullWhenUnknown() {
        assertEquals(0, SwapMask.closure(1.0));
        assertEquals(0, SwapMask.closure(SwapMask.OPENING_FULL));
        assertEquals(1, SwapMask.closure(SwapMask.OPENING_BLINK));
        assertEquals(1, SwapMask.closure(0.2));
        assertEquals(1, SwapMask.closure(Double.NaN), "with no track to judge by, a blink must not be lost");
        double middle = SwapMask.closure((SwapMask.OPENING_FULL + SwapMask.OPENING_BLINK) / 2);
        assertEquals(0.5, middle, 1e-9);
        assertTrue(SwapMask.closure(0.8) < SwapMask.closure(0.75), "more closed, more kept");
    }

    @Test
    void aBlinkKeepsMoreOfTheTargetsEyesThanOpenEyesDo() {
        try (MeshedFace astronaut = MeshedFace.astronaut()) {
            Mat face = astronaut.image();
            List<Point> points = astronaut.points();
            Rect box = MeshSwapper.bounds(points, face.cols(), face.rows(), MeshSwapper.BOX_MARGIN);
            try (Mat coverage = new Mat(box.height(), box.width(), opencv_core.CV_8UC1, new Scalar(255));
                 SwapMask open = SwapMask.of(points, box, coverage, 1.0);
                 SwapMask blink = SwapMask.of(points, box, coverage, 0.4);
                 SwapMask unknown = SwapMask.of(points, box, coverage)) {
                int openKept = kept(open);
                int blinkKept = kept(blink);
                assertTrue(blinkKept > openKept * 1.2, "a blink keeps the lids: " + blinkKept + " against " + openKept + " kept pixels");
                assertEquals(blinkKept, kept(unknown));
                // the eye's own centre is the target's either way
                // the right eye's upper and lower lid middles (mesh points 159 and 145)
                int x = Math.round((points.get(159).x() + points.get(145).x()) / 2) - box.x();
                int y = Math.round((points.get(159).y() + points.get(145).y()) / 2) - box.y();
                assertTrue(open.alpha().ptr(y, x).getFloat() < 0.5f, "the open eye itself is the target's");
            }
        }
    }

    /** Pixels inside the face that take less than half of the source. */
    private static int kept(SwapMask mask) {
        try (Mat low = new Mat(); Mat inside = new Mat(); Mat half = new Mat(1, 1, opencv_core.CV_32F, new Scalar(0.5))) {
            opencv_core.compare(mask.alpha(), half, low, opencv_core.CMP_LT);
            opencv_core.bitwise_and(low, mask.outline(), inside);
            return opencv_core.countNonZero(inside);
        }
    }
}
