package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import facefarm.worker.inference.OnnxGraph;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 2dfan4, peppa_wutz and fan_68_5 contracts, with graphs shaped like the real models and planted outputs. */
class LandmarkerContractTest {
    @TempDir
    Path dir;

    /** A bright frame with a pattern, so shifted crops can be compared pixel by pixel. */
    private static Mat patterned(int w, int h) {
        Mat frame = new Mat(h, w, opencv_core.CV_8UC3);
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                data[i] = (byte) (100 + (x * 7 + y * 3) % 150);
                data[i + 1] = (byte) (120 + (x * 5) % 130);
                data[i + 2] = (byte) (110 + (y * 11) % 140);
            }
        }
        ((ByteBuffer) frame.createBuffer()).put(data);
        return frame;
    }

    @Test
    void theCropIsTheBoxScaledTo195AndCentredInBgrOver255() {
        int w = 300;
        int h = 260;
        try (Mat frame = patterned(w, h)) {
            byte[] pixels = new byte[w * h * 3];
            ((ByteBuffer) frame.createBuffer()).get(pixels);
            // width 195 -> scale 1; (256 - (10.5 + 205.5)) / 2 = 20 and (256 - (20 + 180)) / 2 = 28: a whole-pixel shift
            Landmarker68.Prepared prepared = Landmarker68.prepare(frame, new Box(10.5f, 20, 205.5f, 180), 0);
            int plane = 256 * 256;
            for (int y = 0; y < 256; y += 5) {
                for (int x = 0; x < 256; x += 3) {
                    int fx = x - 20;
                    int fy = y - 28;
                    boolean inside = fx >= 0 && fy >= 0 && fx < w && fy < h;
                    for (int c = 0; c < 3; c++) {
                        float expected = inside ? (pixels[(fy * w + fx) * 3 + c] & 0xff) / 255f : 0f;
                        assertEquals(expected, prepared.nchw()[c * plane + y * 256 + x], 1e-6, "crop pixel " + x + "," + y + " channel " + c);
                    }
                }
            }
        }
    }

    private static float[] plantedPoints(int stride) {
        float[] values = new float[68 * stride];
        for (int i = 0; i < 68; i++) {
            values[i * stride] = 10 + i * 0.5f;
            values[i * stride + 1] = 20 + (i % 7);
            if (stride == 3) {
                values[i * stride + 2] = 0.76f;
            }
        }
        return values;
    }

    @Test
    void twoDfan4PointsComeBackToTheFrameAndTheScoreIsTheMeanHeatmapPeak() {
        float[] heatmaps = new float[68 * 64 * 64];
        for (int i = 0; i < 68; i++) {
            heatmaps[i * 4096 + (i * 37) % 4096] = i % 2 == 0 ? 0.8f : 0.6f;
        }
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 256, 256)
                .output("landmarks", OnnxGraph.FLOAT, 1, 68, 3).output("heatmaps", OnnxGraph.FLOAT, 1, 68, 64, 64)
                .constant("landmarks", plantedPoints(3), 1, 68, 3).constant("heatmaps", heatmaps, 1, 68, 64, 64)
                .write(dir.resolve("2dfan4.onnx"));
        Box box = new Box(100, 50, 490, 440);
        try (Mat frame = patterned(640, 480); Landmarker68 landmarker = new Landmarker68(Landmarker68.Model.TWO_DFAN4, model)) {
            Landmarker68.Result result = landmarker.run(frame, box, 0);
            double scale = 195.0 / 390;
            double tx = (256 - 590 * scale) / 2;
            double ty = (256 - 490 * scale) / 2;
            for (int i = 0; i < 68; i += 11) {
                double cx = (10 + i * 0.5) * 4;
                double cy = (20 + i % 7) * 4;
                assertEquals((cx - tx) / scale, result.points().get(i).x(), 1e-3, "x of point " + i);
                assertEquals((cy - ty) / scale, result.points().get(i).y(), 1e-3, "y of point " + i);
            }
            assertEquals(0.7f / 0.9f, result.score(), 1e-5);
        }
    }

    @Test
    void peppaWutzScoreIsTheMeanOfItsThirdColumnAndARotatedCropIsUndone() {
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 256, 256).output("output", OnnxGraph.FLOAT, 1, 204)
                .constant("output", plantedPoints(3), 1, 204).write(dir.resolve("peppa_wutz.onnx"));
        Box box = new Box(0, 0, 195, 195);
        try (Mat frame = patterned(640, 480); Landmarker68 landmarker = new Landmarker68(Landmarker68.Model.PEPPA_WUTZ, model)) {
            Landmarker68.Result result = landmarker.run(frame, box, 90);
            assertEquals(0.76f / 0.95f, result.score(), 1e-5);
            // scale 1, shift (30.5, 30.5); then the crop turned 90 degrees counter-clockwise about (128, 128):
            // a crop point (u, v) came from the unturned crop point (128 - (v - 128), 128 + (u - 128))
            double u = (10 + 5 * 0.5) * 4;
            double v = (20 + 5 % 7) * 4;
            double unturnedX = 128 - (v - 128);
            double unturnedY = 128 + (u - 128);
            assertEquals(unturnedX - 30.5, result.points().get(5).x(), 1e-3);
            assertEquals(unturnedY - 30.5, result.points().get(5).y(), 1e-3);
        }
    }

    @Test
    void fan68From5SeesThePointsInTheUnitFfhqFrameAndMapsItsOutputBack() {
        List<Point> template = WarpTemplate.FFHQ_512.points(1);
        List<Point> face = template.stream().map(p -> new Point(p.x() * 300 + 50, p.y() * 300 + 20)).toList();
        Fan68From5.Prepared prepared = Fan68From5.prepare(face);
        for (int i = 0; i < 5; i++) {
            assertEquals(template.get(i).x(), prepared.points()[2 * i], 1e-5);
            assertEquals(template.get(i).y(), prepared.points()[2 * i + 1], 1e-5);
        }
        float[] planted = new float[136];
        for (int i = 0; i < 68; i++) {
            planted[2 * i] = 0.2f + i * 0.01f;
            planted[2 * i + 1] = 0.5f;
        }
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 5, 2).output("output", OnnxGraph.FLOAT, 1, 68, 2)
                .constant("output", planted, 1, 68, 2).write(dir.resolve("fan_68_5.onnx"));
        try (Fan68From5 fan = new Fan68From5(model)) {
            List<Point> points = fan.run(face);
            assertEquals(68, points.size());
            assertEquals((0.2 + 3 * 0.01) * 300 + 50, points.get(3).x(), 1e-3);
            assertEquals(0.5 * 300 + 20, points.get(3).y(), 1e-3);
        }
    }

    @Test
    void sixtyEightToFiveAndFaceAngle() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 68; i++) {
            points.add(new Point(i, 2 * i));
        }
        List<Point> five = Landmarks.fiveFrom68(points);
        assertEquals(new Point(38.5f, 77f), five.get(0));
        assertEquals(new Point(44.5f, 89f), five.get(1));
        assertEquals(new Point(30, 60), five.get(2));
        assertEquals(new Point(48, 96), five.get(3));
        assertEquals(new Point(54, 108), five.get(4));
        assertEquals(0, Landmarks.angle(new Point(0, 0), new Point(10, 1)));
        assertEquals(90, Landmarks.angle(new Point(0, 0), new Point(1, 10)), "jaw line pointing down the image: turned 90");
        assertEquals(180, Landmarks.angle(new Point(10, 0), new Point(0, 0)));
        assertEquals(270, Landmarks.angle(new Point(0, 10), new Point(0, 0)));
        assertEquals(0, Landmarks.angle(new Point(0, 10), new Point(17.32f, 0)), "-30 degrees is nearest 360, i.e. 0");
    }
}
