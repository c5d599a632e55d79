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
import org.junit.jupiter.api.Test;

/** The piecewise-affine warp of astronaut.png's face onto a target mesh. */
class MeshWarpTest {

    @Test
    void aMeshTurnedOverCoversNothingWhileTheSameMeshCoversItsFace() {
        try (MeshedFace astronaut = MeshedFace.astronaut(); MeshWarp warp = new MeshWarp(astronaut.image(), astronaut.points())) {
            List<Point> same = astronaut.points();
            // mirrored left to right, every triangle runs the other way round: the back of the source's face
            List<Point> mirrored = same.stream().map(p -> new Point(astronaut.image().cols() - 1 - p.x(), p.y())).toList();
            int face = covered(warp, same, astronaut.image());
            assertTrue(face > 5_000, "the source's own mesh takes its face: " + face + " pixels");
            assertEquals(0, covered(warp, mirrored, astronaut.image()), "a turned-over triangle lays nothing");
        }
    }

    private static int covered(MeshWarp warp, List<Point> target, Mat frame) {
        Rect box = MeshSwapper.bounds(target, frame.cols(), frame.rows(), MeshSwapper.BOX_MARGIN);
        try (Mat warped = new Mat(); Mat coverage = new Mat()) {
            warp.warp(target, box, warped, coverage);
            return opencv_core.countNonZero(coverage);
        }
    }
}
