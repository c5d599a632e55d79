package facefarm.worker.masks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import facefarm.worker.analysis.Point;
import facefarm.worker.inference.OnnxGraph;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceMasksTest {
    @TempDir
    Path dir;

    private static float at(Mat mask, int x, int y) {
        return ((FloatBuffer) mask.createBuffer()).get(y * mask.cols() + x);
    }

    @Test
    void boxMaskZeroesPaddedBordersExactlyWithoutBlur() {
        try (Mat mask = FaceMasks.box(100, 100, 0, new int[] {10, 20, 0, 0})) {
            assertEquals(0f, at(mask, 50, 9), "top padding 10 % = 10 rows");
            assertEquals(1f, at(mask, 50, 10));
            assertEquals(0f, at(mask, 80, 50), "right padding 20 % = 20 columns");
            assertEquals(1f, at(mask, 79, 50));
            assertEquals(0f, at(mask, 50, 99), "no padding still zeroes one pixel of border");
            assertEquals(0f, at(mask, 0, 50));
            assertEquals(1f, at(mask, 1, 98));
        }
    }

    @Test
    void boxMaskWithFaceFusionsDefaultBlurOnA128Crop() {
        // blur 0.3 on 128: blur amount 19, a 9 px border, sigma 4.75
        try (Mat mask = FaceMasks.box(128, 128, 0.3f, new int[4])) {
            assertEquals(1f, at(mask, 64, 64), 1e-4);
            assertEquals(at(mask, 5, 64), at(mask, 122, 64), 1e-5, "symmetric");
            float edge = at(mask, 0, 64);
            float inside = at(mask, 20, 64);
            assertEquals(true, edge < 0.1f && inside > 0.9f, "blurred ramp: " + edge + " .. " + inside);
        }
    }

    @Test
    void areaMaskFillsTheHullOfTheChosenLandmarks() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 68; i++) {
            points.add(new Point(100, 100));
        }
        int[] mouth = FaceMasks.AREAS.get("mouth");
        for (int k = 0; k < mouth.length; k++) {
            double a = 2 * Math.PI * k / mouth.length;
            points.set(mouth[k], new Point((float) (100 + 60 * Math.cos(a)), (float) (100 + 40 * Math.sin(a))));
        }
        try (Mat mask = FaceMasks.area(200, 200, points, List.of("mouth"))) {
            assertEquals(1f, at(mask, 100, 100), 1e-4);
            assertEquals(0f, at(mask, 100, 10), 1e-4);
            assertEquals(0f, at(mask, 5, 100), 1e-4);
        }
        assertThrows(IllegalArgumentException.class, () -> FaceMasks.area(10, 10, points, List.of("ears")));
    }

    @Test
    void occlusionContractNhwcBgrOver255AndTheMapComesBackSmoothed() {
        try (Mat crop = new Mat(256, 256, opencv_core.CV_8UC3, new Scalar(51, 102, 204, 0))) {
            float[] input = OcclusionMasker.prepare(crop);
            assertEquals(0.2f, input[0], 1e-6, "blue first, channels last");
            assertEquals(0.4f, input[1], 1e-6);
            assertEquals(0.8f, input[2], 1e-6);
            float[] planted = new float[256 * 256];
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 128; x++) {
                    planted[y * 256 + x] = 1.7f;
                }
            }
            Path model = new OnnxGraph().input("in_face:0", OnnxGraph.FLOAT, 1, 256, 256, 3).output("out_mask:0", OnnxGraph.FLOAT, 1, 256, 256, 1)
                    .constant("out_mask:0", planted, 1, 256, 256, 1).write(dir.resolve("xseg_1.onnx"));
            try (OcclusionMasker masker = new OcclusionMasker(model); Mat mask = masker.mask(crop)) {
                assertEquals(1f, at(mask, 40, 128), 1e-4, "occluder-free half, clipped to 1");
                assertEquals(0f, at(mask, 220, 128), 1e-4);
            }
        }
    }

    @Test
    void regionContractImagenetNormalisedRgbAndArgmaxOfTheLogits() {
        try (Mat crop = new Mat(512, 512, opencv_core.CV_8UC3, new Scalar(0, 0, 255, 0))) {
            float[] input = RegionMasker.prepare(crop);
            assertEquals((1 - 0.485f) / 0.229f, input[0], 1e-5, "red first, ImageNet mean and std");
            assertEquals((0 - 0.456f) / 0.224f, input[512 * 512], 1e-5);
        }
        int plane = 512 * 512;
        float[] logits = new float[19 * plane];
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                logits[(y < 256 ? 1 : 17) * plane + y * 512 + x] = 5f;
            }
        }
        Path model = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 512, 512).output("output", OnnxGraph.FLOAT, 1, 19, 512, 512)
                .constant("output", logits, 1, 19, 512, 512).write(dir.resolve("bisenet_resnet_34.onnx"));
        try (RegionMasker masker = new RegionMasker(model); Mat crop = new Mat(128, 128, opencv_core.CV_8UC3, new Scalar(0));
             Mat skin = masker.mask(crop, List.of("skin")); Mat nose = masker.mask(crop, List.of("nose"))) {
            assertEquals(1f, at(skin, 64, 20), 1e-4, "skin above");
            assertEquals(0f, at(skin, 64, 110), 1e-4, "hair (17) below is not a chosen region");
            assertEquals(0f, at(nose, 64, 20), 1e-4);
        }
    }

    @Test
    void masksCombineByMinimum() {
        Mat a = new Mat(2, 2, opencv_core.CV_32FC1);
        ((FloatBuffer) a.createBuffer()).put(new float[] {0.2f, 1f, 0.7f, 0f});
        Mat b = new Mat(2, 2, opencv_core.CV_32FC1);
        ((FloatBuffer) b.createBuffer()).put(new float[] {0.5f, 0.4f, 1f, 1f});
        try (Mat combined = FaceMasks.combine(List.of(a, b))) {
            float[] out = new float[4];
            ((FloatBuffer) combined.createBuffer()).get(out);
            assertEquals(0.2f, out[0]);
            assertEquals(0.4f, out[1]);
            assertEquals(0.7f, out[2]);
            assertEquals(0f, out[3]);
        }
        b.close();
    }
}
