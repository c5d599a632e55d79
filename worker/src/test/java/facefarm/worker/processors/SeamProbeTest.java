package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.processors.meshswap.MultiBandBlend;
import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The seam measure sees a pasted disc's edge and not a multi-band blend of the same disc. */
class SeamProbeTest {

    @Test
    void aHardPasteIsASeamAndAMultiBandBlendIsNot() {
        try (Mat frame = new Mat(200, 200, opencv_core.CV_8UC3); Mat brighter = new Mat(200, 200, opencv_core.CV_8UC3);
             Mat hard = new Mat(200, 200, opencv_core.CV_8UC1, new Scalar(0)); Mat alpha = new Mat()) {
            try (Mat mean = new Mat(1, 3, opencv_core.CV_64F, new Scalar(120)); Mat spread = new Mat(1, 3, opencv_core.CV_64F, new Scalar(4));
                 Mat offset = new Mat(200, 200, opencv_core.CV_8UC3, new Scalar(40, 30, 20, 0))) {
                opencv_core.randn(frame, mean, spread);
                opencv_core.add(frame, offset, brighter);
            }
            opencv_imgproc.circle(hard, new Point(100, 100), 60, new Scalar(255), -1, opencv_imgproc.LINE_8, 0);
            hard.convertTo(alpha, opencv_core.CV_32F, 1 / 255.0, 0);
            opencv_imgproc.GaussianBlur(alpha, alpha, new Size(0, 0), 6);
            try (Mat pasted = frame.clone(); Mat blended = frame.clone()) {
                brighter.copyTo(pasted, hard);
                MultiBandBlend.blend(brighter, blended, alpha, MultiBandBlend.levelsFor(200, 200));
                double pastedStep = maxExcess(SeamProbe.measure(frame, pasted, alpha, 0, 0));
                double blendedStep = maxExcess(SeamProbe.measure(frame, blended, alpha, 0, 0));
                assertTrue(pastedStep > 10, "a pasted disc's edge is a step: " + pastedStep);
                assertTrue(blendedStep < 5, "a blended disc has none: " + blendedStep);
            }
        }
    }

    private static double maxExcess(SeamProbe.Sector[] sectors) {
        return Arrays.stream(sectors).mapToDouble(SeamProbe.Sector::excess).filter(e -> !Double.isNaN(e)).max().orElse(Double.NaN);
    }
}
