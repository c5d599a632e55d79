package facefarm.worker.processors;

import facefarm.worker.analysis.Box;
import facefarm.worker.analysis.Point;
import facefarm.worker.inference.OnnxModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An independent judge of expression: PFLD-68 (cunjian/pytorch_face_landmark), a landmarker no processor uses. Its
 * contract: a square crop 1.2 times the box's shorter side around the box's centre, 112 px, RGB / 255; 68 points
 * (300-W order) normalised to the crop.
 */
final class Pfld68 implements AutoCloseable {
    private static final int SIZE = 112;
    private final OnnxModel model;

    Pfld68(Path file) {
        this.model = new OnnxModel("pfld", file);
    }

    List<Point> points(Mat frame, Box box) {
        float side = 1.2f * Math.min(box.x2() - box.x1(), box.y2() - box.y1());
        float cx = (box.x1() + box.x2()) / 2;
        float cy = (box.y1() + box.y2()) / 2;
        int x = Math.round(cx - side / 2);
        int y = Math.round(cy - side / 2);
        int s = Math.round(side);
        float[] input = new float[3 * SIZE * SIZE];
        try (Mat padded = new Mat(); Mat crop = new Mat(); Mat rgb = new Mat()) {
            // pad so a face at the frame's edge still gets a full square crop
            opencv_core.copyMakeBorder(frame, padded, s, s, s, s, opencv_core.BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
            try (Mat square = new Mat(padded, new Rect(x + s, y + s, s, s))) {
                opencv_imgproc.resize(square, crop, new Size(SIZE, SIZE), 0, 0, opencv_imgproc.INTER_LINEAR);
            }
            opencv_imgproc.cvtColor(crop, rgb, opencv_imgproc.COLOR_BGR2RGB);
            byte[] pixels = new byte[SIZE * SIZE * 3];
            ((ByteBuffer) rgb.createBuffer()).get(pixels);
            for (int i = 0; i < SIZE * SIZE; i++) {
                for (int c = 0; c < 3; c++) {
                    input[c * SIZE * SIZE + i] = (pixels[3 * i + c] & 0xff) / 255f;
                }
            }
        }
        float[] out = model.run(input, 1, 3, SIZE, SIZE)[0];
        List<Point> points = new ArrayList<>(68);
        for (int i = 0; i < 68; i++) {
            points.add(new Point(x + out[2 * i] * s, y + out[2 * i + 1] * s));
        }
        return points;
    }

    /**
     * The inner lips' mean gap (61-67, 62-66, 63-65) over the face box's width. A frame and its swap are judged on the
     * same box, so this compares the mouths alone; normalising by the eyes' distance would mix the eyes' reading in.
     */
    static double mouthOpening(List<Point> p, Box box) {
        double gap = (distance(p, 61, 67) + distance(p, 62, 66) + distance(p, 63, 65)) / 3;
        return gap / (box.x2() - box.x1());
    }

    /** The eyes' aspect ratio (Soukupová and Čech), both eyes averaged: about 0.3 open, under 0.15 closed. */
    static double eyeOpening(List<Point> p) {
        double left = (distance(p, 37, 41) + distance(p, 38, 40)) / (2 * distance(p, 36, 39));
        double right = (distance(p, 43, 47) + distance(p, 44, 46)) / (2 * distance(p, 42, 45));
        return (left + right) / 2;
    }

    private static double distance(List<Point> p, int a, int b) {
        return Math.hypot(p.get(a).x() - p.get(b).x(), p.get(a).y() - p.get(b).y());
    }

    @Override
    public void close() {
        model.close();
    }
}
