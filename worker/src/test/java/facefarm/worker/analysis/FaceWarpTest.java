package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class FaceWarpTest {

    @Test
    void templatesMatchInsightFacesPixelValues() {
        List<Point> v2 = WarpTemplate.ARCFACE_112_V2.points(112);
        assertEquals(38.2946, v2.get(0).x(), 1e-3);
        assertEquals(51.6963, v2.get(0).y(), 1e-3);
        assertEquals(73.5318, v2.get(1).x(), 1e-3);
        assertEquals(56.0252, v2.get(2).x(), 1e-3);
        assertEquals(92.3655, v2.get(3).y(), 1e-3);
        assertEquals(70.7299, v2.get(4).x(), 1e-3);
        List<Point> a128 = WarpTemplate.ARCFACE_128.points(128);
        for (int i = 0; i < 5; i++) {
            assertEquals(v2.get(i).x() + 8, a128.get(i).x(), 2e-3, "arcface_128 is arcface_src shifted 8 px in x, point " + i);
            assertEquals(v2.get(i).y(), a128.get(i).y(), 2e-3);
        }
        List<Point> v1 = WarpTemplate.ARCFACE_112_V1.points(112);
        assertEquals(39.730, v1.get(0).x(), 1e-3);
        assertEquals(68.493, v1.get(2).y(), 1e-3);
        assertEquals(0.37691676, WarpTemplate.FFHQ_512.x(0), 1e-9);
        assertEquals(0.72490465, WarpTemplate.FFHQ_512.y(4), 1e-9);
    }

    @Test
    void aScaledAndShiftedFaceWarpsOntoTheTemplate() {
        List<Point> template = WarpTemplate.ARCFACE_112_V2.points(112);
        double scale = 2.5;
        List<Point> face = template.stream().map(p -> new Point((float) (p.x() * scale + 300), (float) (p.y() * scale + 120))).toList();
        double[] m = FaceWarp.matrix(face, WarpTemplate.ARCFACE_112_V2, 112);
        assertEquals(1 / scale, m[0], 1e-6);
        assertEquals(0, m[1], 1e-6);
        assertEquals(-300 / scale, m[2], 1e-4);
        assertEquals(-120 / scale, m[5], 1e-4);
        double[] back = FaceWarp.invert(m);
        Point p = FaceWarp.apply(back, template.get(2));
        assertEquals(face.get(2).x(), p.x(), 1e-3);
        assertEquals(face.get(2).y(), p.y(), 1e-3);
        try (Mat frame = new Mat(600, 800, opencv_core.CV_8UC3, new Scalar(10, 20, 30, 0)); Mat crop = FaceWarp.crop(frame, m, 112)) {
            assertEquals(112, crop.cols());
            assertEquals(112, crop.rows());
        }
    }
}
