package facefarm.worker.processors.meshswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.MeshedFace;
import facefarm.worker.analysis.MeshRegions;
import facefarm.worker.analysis.MeshShapes;
import facefarm.worker.analysis.Point;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The source photo's face, without the background and hair its mesh's convex hull takes in, on astronaut.png. */
class SourceFaceMaskTest {

    @Test
    void theHullsBackgroundIsCutAwayAndTheFeaturesStay() {
        try (MeshedFace astronaut = MeshedFace.astronaut()) {
            Mat source = astronaut.image();
            List<Point> points = astronaut.points();
            try (Mat face = SourceFaceMask.of(source, points); Mat hull = hull(points, source)) {
                int kept = opencv_core.countNonZero(face);
                int hullArea = opencv_core.countNonZero(hull);
                assertTrue(kept < 0.99 * hullArea && kept > 0.8 * hullArea, "some of the hull is cut away, not the face: " + kept + " of " + hullArea);
                try (Mat outside = new Mat()) {
                    opencv_core.bitwise_not(hull, outside);
                    opencv_core.bitwise_and(outside, face, outside);
                    assertEquals(0, opencv_core.countNonZero(outside), "nothing outside the hull");
                }
                // eyes, brows and lips are not skin-coloured, but skin surrounds them
                int[] features = Stream.of(MeshRegions.RIGHT_EYE, MeshRegions.LEFT_EYE, MeshRegions.LIPS_INNER, MeshRegions.BROWS_LOWER)
                        .flatMapToInt(IntStream::of).toArray();
                for (int i : features) {
                    Point p = points.get(i);
                    assertTrue((face.ptr(Math.round(p.y()), Math.round(p.x())).get() & 0xff) == 255, "mesh point " + i + " is in the face");
                }
            }
        }
    }

    private static Mat hull(List<Point> points, Mat source) {
        Mat hull = new Mat(source.rows(), source.cols(), opencv_core.CV_8UC1, new Scalar(0));
        MeshShapes.fillHull(points, 0, 0, hull);
        return hull;
    }
}
