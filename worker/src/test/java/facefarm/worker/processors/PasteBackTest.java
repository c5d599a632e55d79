package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.masks.FaceMasks;
import facefarm.worker.media.FrameReader;
import java.nio.ByteBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Paste-back on a real frame and a real face: an identity crop leaves the frame alone where the mask is 0. */
class PasteBackTest {

    private static byte[] pixels(Mat frame) {
        byte[] bytes = new byte[(int) (frame.total() * frame.channels())];
        ((ByteBuffer) frame.createBuffer()).get(bytes);
        return bytes;
    }

    /** The largest mask value among the crop pixels next to a point; 0 beyond the crop. */
    private static float maskAround(float[] weights, Point p) {
        float most = 0;
        for (int dy = -1; dy <= 2; dy++) {
            for (int dx = -1; dx <= 2; dx++) {
                int x = (int) Math.floor(p.x()) + dx;
                int y = (int) Math.floor(p.y()) + dy;
                if (x >= 0 && y >= 0 && x < 128 && y < 128) {
                    most = Math.max(most, weights[y * 128 + x]);
                }
            }
        }
        return most;
    }

    private record Setup(Mat frame, double[] matrix) {
    }

    private static Setup faceCrop(int size) {
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST);
             FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                     SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT)) {
            Mat frame = reader.next().image();
            Face face = detection.detect(frame).get(0);
            return new Setup(frame, FaceWarp.matrix(face.alignment(), WarpTemplate.ARCFACE_128, size));
        }
    }

    @Test
    void anIdentityCropChangesNothingWhereTheMaskIsZeroAndLittleInside() {
        Setup setup = faceCrop(128);
        try (Mat frame = setup.frame(); Mat crop = FaceWarp.crop(frame, setup.matrix(), 128);
             Mat mask = FaceMasks.box(128, 128, 0.3f, new int[4])) {
            float[] weights = new float[128 * 128];
            ((java.nio.FloatBuffer) mask.createBuffer()).get(weights);
            byte[] before = pixels(frame);
            PasteBack.paste(frame, crop, mask, setup.matrix());
            byte[] after = pixels(frame);
            int outside = 0;
            int inside = 0;
            long insideError = 0;
            for (int y = 0; y < frame.rows(); y += 2) {
                for (int x = 0; x < frame.cols(); x += 2) {
                    Point inCrop = FaceWarp.apply(setup.matrix(), new Point(x, y));
                    boolean clearOfMask = maskAround(weights, inCrop) < 1 / 255f;
                    boolean core = inCrop.x() > 40 && inCrop.y() > 40 && inCrop.x() < 88 && inCrop.y() < 88;
                    for (int c = 0; c < 3; c++) {
                        int k = (y * frame.cols() + x) * 3 + c;
                        int difference = Math.abs((after[k] & 0xff) - (before[k] & 0xff));
                        if (clearOfMask) {
                            assertTrue(difference <= 1, "pixel " + x + "," + y + " outside the mask changed by " + difference);
                            outside++;
                        } else if (core) {
                            insideError += difference;
                            inside++;
                        }
                    }
                }
            }
            assertTrue(outside > 50_000 && inside > 1000, outside + " outside, " + inside + " inside");
            // inside, the crop went through two resamplings (down to 128 and back): close, not equal
            assertTrue(insideError / (double) inside < 6, "mean error inside the face " + insideError / (double) inside);
        }
    }

    @Test
    void aFullMaskPutsTheCropsPixelsIntoTheFaceAndNothingBeyondItsBox() {
        Setup setup = faceCrop(256);
        try (Mat frame = setup.frame(); Mat crop = new Mat(256, 256, opencv_core.CV_8UC3, new Scalar(10, 200, 90, 0));
             Mat mask = new Mat(256, 256, opencv_core.CV_32F, new Scalar(1, 0, 0, 0))) {
            byte[] before = pixels(frame);
            PasteBack.paste(frame, crop, mask, setup.matrix());
            byte[] after = pixels(frame);
            double[] inverse = FaceWarp.invert(setup.matrix());
            Point centre = FaceWarp.apply(inverse, new Point(128, 128));
            int k = (Math.round(centre.y()) * frame.cols() + Math.round(centre.x())) * 3;
            assertEquals(10, after[k] & 0xff);
            assertEquals(200, after[k + 1] & 0xff);
            assertEquals(90, after[k + 2] & 0xff);
            assertEquals(before[0], after[0], "the frame's corner is far from the face");
            long changed = 0;
            for (int i = 0; i < before.length; i++) {
                changed += before[i] != after[i] ? 1 : 0;
            }
            double faceArea = Math.abs(256 * 256 * (inverse[0] * inverse[4] - inverse[1] * inverse[3])) * 3;
            assertTrue(changed <= faceArea * 1.05 && changed >= faceArea * 0.9, changed + " channel values changed for a face area of " + faceArea);
        }
    }
}
