package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Point;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every enhancer contract, with graphs of the real models' names, shapes and types, on a real face. */
class FaceEnhancerTest {
    @TempDir
    static Path dir;
    static Mat frame;
    static Face face;

    @BeforeAll
    static void realFace() {
        RealFace real = RealFace.firstFrameOfFace2();
        frame = real.frame();
        face = real.face();
    }

    /** Echoes the crop; CodeFormer's graph also takes its float64 weight and echoes it as a second output. */
    static Path echo(EnhancerModel model) {
        int s = model.size();
        OnnxGraph graph = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, s, s).output("output", OnnxGraph.FLOAT, 1, 3, s, s)
                .identity("input", "output");
        if (model == EnhancerModel.CODEFORMER) {
            graph.input("weight", OnnxGraph.DOUBLE, 1).output("weight_seen", OnnxGraph.DOUBLE, 1).identity("weight", "weight_seen");
        }
        return graph.write(dir.resolve(model.id() + ".onnx"));
    }

    static FaceEnhancer enhancer(EnhancerModel model, Path file, int blend) {
        return new FaceEnhancer(model, new OnnxModel(model.id(), file), new FaceMasker(List.of("box"), 0.3f, new int[4], List.of(), List.of(), null, null),
                blend, 0.7f);
    }

    private static byte[] bytes(Mat mat) {
        byte[] out = new byte[(int) mat.total() * mat.channels()];
        ((ByteBuffer) mat.createBuffer()).get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(EnhancerModel.class)
    void theModelSeesRgbInMinusOneToOneAndAnEchoGivesTheCropBack(EnhancerModel model) {
        int s = model.size();
        try (FaceEnhancer enhancer = enhancer(model, echo(model), 80);
             Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.alignment(), model.template(), s), s);
             OnnxModel session = new OnnxModel("echo", dir.resolve(model.id() + ".onnx"))) {
            float[][] out = session.run(enhancer.inputs(crop));
            byte[] bgr = bytes(crop);
            for (int i = 0; i < s * s; i += 101) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(((bgr[3 * i + 2 - c] & 0xff) / 255f - 0.5f) / 0.5f, out[0][c * s * s + i], 1e-6f, model + " pixel " + i);
                }
            }
            if (model == EnhancerModel.CODEFORMER) {
                assertEquals(2, out.length);
                assertEquals(0.7f, out[1][0], 1e-6f, "CodeFormer's weight input");
            } else {
                assertEquals(1, out.length, model + " has no weight input");
            }
            try (Mat enhanced = enhancer.enhanceCrop(crop)) {
                assertArrayEquals(bgr, bytes(enhanced), model + ": an echo comes back as the crop");
            }
        }
    }

    @Test
    void theEnhancedFaceIsBlendedWithThePreEnhancementFrame() {
        EnhancerModel model = EnhancerModel.GFPGAN_1_4;
        int s = model.size();
        float[] black = new float[3 * s * s];
        java.util.Arrays.fill(black, -1f);
        Path file = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, s, s).output("output", OnnxGraph.FLOAT, 1, 3, s, s)
                .constant("output", black, 1, 3, s, s).write(dir.resolve("black.onnx"));
        try (FaceEnhancer enhancer = enhancer(model, file, 80); Mat after = frame.clone()) {
            enhancer.enhance(after, face);
            byte[] a = bytes(frame);
            byte[] b = bytes(after);
            Point nose = face.landmark5().get(2);
            int i = (Math.round(nose.y()) * frame.cols() + Math.round(nose.x())) * 3;
            for (int c = 0; c < 3; c++) {
                // the mask is 1 at the nose: 80 % of a black face over 20 % of the frame
                assertEquals(Math.round(0.2f * (a[i + c] & 0xff)), b[i + c] & 0xff, 1, "channel " + c + " at the nose");
            }
            int corner = 0;
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    int k = (y * frame.cols() + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        assertEquals(a[k + c], b[k + c], "far from the face the frame is unchanged");
                        corner++;
                    }
                }
            }
            assertTrue(corner > 0);
        }
    }
}
