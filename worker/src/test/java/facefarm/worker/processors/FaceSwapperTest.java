package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every swapper contract, checked with graphs of the real models' input and output names, shapes and types that echo
 * their inputs, on a real face (face_2.mp4, found by YuNet).
 */
class FaceSwapperTest {
    /** facefusion.md 3.5, typed in here rather than read from SwapperModel: mean and std of each model's crop input. */
    private static final Map<String, float[][]> NORMALISATION = Map.ofEntries(
            Map.entry("inswapper_128", unit()), Map.entry("inswapper_128_fp16", unit()), Map.entry("hyperswap_1a_256", half()),
            Map.entry("hyperswap_1b_256", half()), Map.entry("hyperswap_1c_256", half()), Map.entry("ghost_1_256", half()),
            Map.entry("ghost_2_256", half()), Map.entry("ghost_3_256", half()),
            Map.entry("simswap_256", new float[][] {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}}),
            Map.entry("simswap_unofficial_512", unit()), Map.entry("hififace_unofficial_256", half()), Map.entry("blendswap_256", unit()),
            Map.entry("uniface_256", half()));

    private static float[][] unit() {
        return new float[][] {{0, 0, 0}, {1, 1, 1}};
    }

    private static float[][] half() {
        return new float[][] {{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}};
    }

    @TempDir
    static Path dir;
    static Mat frame;
    static Face face;

    @BeforeAll
    static void realFace() {
        RealFace real = RealFace.firstFrameOfFace2();
        frame = real.frame();
        Random random = new Random(7);
        float[] raw = new float[512];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) random.nextGaussian() * 3;
        }
        face = real.face().withEmbedding(raw, FaceRecognizer.normalise(raw));
    }

    private static long[] sourceShape(SwapperModel model) {
        return switch (model.source()) {
            case IMAGE_ARCFACE_112 -> new long[] {1, 3, 112, 112};
            case IMAGE_FFHQ_256 -> new long[] {1, 3, 256, 256};
            default -> new long[] {1, 512};
        };
    }

    /** The swapper's shape: its output echoes the target crop; a second output shows what the model was given. */
    static Path echoSwapper(SwapperModel model, float[] embeddingMap) {
        return echoSwapper(model, embeddingMap, dir);
    }

    static Path echoSwapper(SwapperModel model, float[] embeddingMap, Path into) {
        boolean halfPrecision = model == SwapperModel.INSWAPPER_128_FP16;
        int type = halfPrecision ? OnnxGraph.FLOAT16 : OnnxGraph.FLOAT;
        int s = model.size();
        OnnxGraph graph = new OnnxGraph().input("source", type, sourceShape(model)).input("target", type, 1, 3, s, s)
                .output("output", type, 1, 3, s, s).output("source_seen", type, sourceShape(model))
                .identity("target", "output").identity("source", "source_seen");
        if (embeddingMap != null) {
            // like the real inswapper, the embedding map is the graph's last initializer
            if (halfPrecision) {
                graph.halfInitializer("emap", embeddingMap, 512, 512);
            } else {
                graph.initializer("emap", embeddingMap, 512, 512);
            }
        }
        return graph.write(into.resolve(model.id() + ".onnx"));
    }

    /** crossface's shape: 512 in, 512 out; this one doubles the embedding so the test sees it was applied. */
    static Path doublingConverter() {
        return new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 512).output("output", OnnxGraph.FLOAT, 1, 512)
                .initializer("two", new float[] {2f}, 1).node("Mul", List.of("input", "two"), List.of("output"))
                .write(dir.resolve("crossface.onnx"));
    }

    static float[] randomMap() {
        Random random = new Random(11);
        float[] map = new float[512 * 512];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (random.nextGaussian() / 16);
        }
        return map;
    }

    static FaceSwapper swapper(SwapperModel model, int pixelBoost, float weight, float[] embeddingMap) {
        Path file = echoSwapper(model, model.source() == SwapperModel.Source.INSWAPPER ? embeddingMap : null);
        OnnxModel converter = model.converter() == null ? null : new OnnxModel("crossface", doublingConverter());
        InswapperEmbedding inswapper = model.source() == SwapperModel.Source.INSWAPPER ? InswapperEmbedding.fromModel(file) : null;
        FaceMasker masker = new FaceMasker(List.of("box"), 0.3f, new int[4], List.of(), List.of(), null, null);
        return new FaceSwapper(model, new OnnxModel(model.id(), file), converter, inswapper, null, masker, pixelBoost, weight, face, frame);
    }

    @ParameterizedTest
    @EnumSource(SwapperModel.class)
    void theModelSeesTheCropNormalisedAsFaceFusionDoesAndItsOutputIsMappedBack(SwapperModel model) {
        try (FaceSwapper swapper = swapper(model, model.size(), 0.5f, randomMap());
             Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.alignment(), model.template(), model.size()), model.size());
             OnnxModel session = new OnnxModel("echo", dir.resolve(model.id() + ".onnx"))) {
            int s = model.size();
            float[] source = swapper.sourceFor(frame, face);
            float[][] out = session.run(List.of(new OnnxModel.Input("source", source, sourceShape(model)),
                    new OnnxModel.Input("target", model.input().tensor(crop), 1, 3, s, s)));
            float[][] norm = NORMALISATION.get(model.id());
            byte[] bgr = new byte[s * s * 3];
            ((ByteBuffer) crop.createBuffer()).get(bgr);
            float tolerance = model == SwapperModel.INSWAPPER_128_FP16 ? 1e-3f : 1e-5f;
            for (int i = 0; i < s * s; i += 97) {
                for (int c = 0; c < 3; c++) {
                    float expected = ((bgr[3 * i + 2 - c] & 0xff) / 255f - norm[0][c]) / norm[1][c];
                    assertEquals(expected, out[0][c * s * s + i], tolerance * Math.max(1, Math.abs(expected)), model + " pixel " + i + " channel " + c);
                }
            }
            try (Mat swapped = swapper.swapCrop(crop, source)) {
                byte[] back = new byte[bgr.length];
                ((ByteBuffer) swapped.createBuffer()).get(back);
                for (int i = 0; i < bgr.length; i++) {
                    int v = bgr[i] & 0xff;
                    // simswap_256 takes ImageNet-normalised input but answers in [0, 1]: its echo is not the crop
                    int expected = model == SwapperModel.SIMSWAP_256
                            ? Math.round(Math.max(0, Math.min(1, (v / 255f - norm[0][2 - i % 3]) / norm[1][2 - i % 3])) * 255) : v;
                    assertEquals(expected, back[i] & 0xff, 1, model + " value " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SwapperModel.class, names = "SIMSWAP_256", mode = EnumSource.Mode.EXCLUDE)
    void anIdentitySwapperLeavesTheFrameUnchangedOutsideTheMask(SwapperModel model) {
        try (FaceSwapper swapper = swapper(model, model.size(), 0.5f, randomMap()); Mat after = frame.clone()) {
            swapper.swap(after, face);
            double[] matrix = FaceWarp.matrix(face.alignment(), model.template(), model.size());
            float[] mask = frameMask(matrix, model.size());
            byte[] a = bytes(frame);
            byte[] b = bytes(after);
            double insideDiff = 0;
            int inside = 0;
            for (int i = 0; i < a.length; i++) {
                int diff = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                if (mask[i / 3] == 0) {
                    assertTrue(diff <= 1, model + ": value " + i + " outside the mask changed by " + diff);
                } else {
                    insideDiff += diff;
                    inside++;
                }
            }
            assertTrue(inside > 1000, model + ": the mask covers " + inside + " values");
            // the crop is resampled twice (INTER_AREA in, bilinear back): close, not exact; a misplaced paste is far off
            assertTrue(insideDiff / inside < 4, model + ": mean change inside the mask " + insideDiff / inside);
        }
    }

    /** The box mask the swapper pastes with, in frame space (as PasteBack warps it). */
    private static float[] frameMask(double[] matrix, int size) {
        try (Mat crop = facefarm.worker.masks.FaceMasks.box(size, size, 0.3f, new int[4]); Mat m = FaceWarp.matrixMat(FaceWarp.invert(matrix));
             Mat warped = new Mat()) {
            opencv_imgproc.warpAffine(crop, warped, m, new Size(frame.cols(), frame.rows()), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT,
                    new Scalar());
            float[] values = new float[frame.cols() * frame.rows()];
            ((FloatBuffer) warped.createBuffer()).get(values);
            return values;
        }
    }

    private static byte[] bytes(Mat mat) {
        byte[] out = new byte[(int) mat.total() * mat.channels()];
        ((ByteBuffer) mat.createBuffer()).get(out);
        return out;
    }

    @Test
    void pixelBoostWithAnIdentityModelReturnsTheCropUnchanged() {
        SwapperModel model = SwapperModel.INSWAPPER_128;
        try (FaceSwapper swapper = swapper(model, 512, 0.5f, randomMap());
             Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.alignment(), model.template(), 512), 512);
             Mat swapped = swapper.swapCrop(crop, swapper.sourceFor(frame, face))) {
            assertEquals(512, swapped.cols());
            assertArrayEquals(bytes(crop), bytes(swapped));
        }
    }

    @Test
    void pixelBoostTilesAreStridedSamplesRowOffsetFirst() {
        try (Mat crop = new Mat(12, 12, opencv_core.CV_8UC3)) {
            byte[] values = new byte[12 * 12 * 3];
            for (int i = 0; i < values.length; i++) {
                values[i] = (byte) (i * 7);
            }
            ((ByteBuffer) crop.createBuffer()).put(values);
            List<Mat> tiles = PixelBoost.split(crop, 4);
            assertEquals(9, tiles.size());
            byte[] tile = bytes(tiles.get(1 * 3 + 2));
            // tile (i = 1, j = 2), pixel (y = 3, x = 1) is crop pixel (row 3·3 + 1, column 1·3 + 2)
            for (int c = 0; c < 3; c++) {
                assertEquals(values[((3 * 3 + 1) * 12 + 1 * 3 + 2) * 3 + c], tile[(3 * 4 + 1) * 3 + c]);
            }
            try (Mat joined = PixelBoost.join(tiles)) {
                assertArrayEquals(values, bytes(joined));
            }
            tiles.forEach(Mat::close);
        }
    }

    @Test
    void eachEmbeddingModelGetsItsSourceEmbedding() {
        float[] raw = face.embedding();
        float[] unit = FaceRecognizer.normalise(raw);
        try (FaceSwapper hyperswap = swapper(SwapperModel.HYPERSWAP_1A_256, 256, 0.5f, null)) {
            assertArrayEquals(unit, hyperswap.sourceFor(frame, face), 1e-6f, "hyperswap: the unit embedding");
        }
        float[] doubled = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            doubled[i] = 2 * raw[i];
        }
        try (FaceSwapper ghost = swapper(SwapperModel.GHOST_2_256, 256, 0.5f, null)) {
            assertArrayEquals(doubled, ghost.sourceFor(frame, face), 1e-4f, "ghost: converted, not normalised");
        }
        try (FaceSwapper simswap = swapper(SwapperModel.SIMSWAP_256, 256, 0.5f, null)) {
            assertArrayEquals(unit, simswap.sourceFor(frame, face), 1e-6f, "simswap: converted, then unit length");
        }
        float[] map = randomMap();
        double norm = 0;
        for (float v : raw) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] latent = new float[512];
        for (int j = 0; j < 512; j++) {
            double sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += raw[i] * map[i * 512 + j];
            }
            latent[j] = (float) (sum / norm);
        }
        try (FaceSwapper inswapper = swapper(SwapperModel.INSWAPPER_128, 128, 0.5f, map)) {
            assertArrayEquals(latent, inswapper.sourceFor(frame, face), 1e-4f, "inswapper: raw x emap / |raw|");
        }
        try (FaceSwapper half = swapper(SwapperModel.INSWAPPER_128_FP16, 128, 0.5f, map)) {
            // the fp16 model keeps its map in halves: about three significant digits
            assertArrayEquals(latent, half.sourceFor(frame, face), 2e-3f, "inswapper fp16: the map read from float16 halves");
        }
    }

    @Test
    void theWeightMovesTheSourceTowardsOrAwayFromTheTargetIdentity() {
        Random random = new Random(3);
        float[] targetRaw = new float[512];
        for (int i = 0; i < 512; i++) {
            targetRaw[i] = (float) random.nextGaussian();
        }
        Face target = face.withEmbedding(targetRaw, FaceRecognizer.normalise(targetRaw));
        float[] source = FaceRecognizer.normalise(face.embedding());
        float[] targetUnit = FaceRecognizer.normalise(targetRaw);
        for (float weight : new float[] {0f, 1f}) {
            // FaceFusion: weight 0..1 becomes 0.35..-0.35, the share of the target's identity
            float share = weight == 0 ? 0.35f : -0.35f;
            float[] expected = new float[512];
            for (int i = 0; i < 512; i++) {
                expected[i] = source[i] * (1 - share) + targetUnit[i] * share;
            }
            try (FaceSwapper swapper = swapper(SwapperModel.HYPERSWAP_1B_256, 256, weight, null)) {
                assertArrayEquals(expected, swapper.sourceFor(frame, target), 1e-6f, "weight " + weight);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SwapperModel.class, names = {"BLENDSWAP_256", "UNIFACE_256"})
    void imageModelsGetTheSourceFaceCroppedWithTheirTemplate(SwapperModel model) {
        WarpTemplate template = model == SwapperModel.BLENDSWAP_256 ? WarpTemplate.ARCFACE_112_V2 : WarpTemplate.FFHQ_512;
        int size = model == SwapperModel.BLENDSWAP_256 ? 112 : 256;
        try (FaceSwapper swapper = swapper(model, 256, 0.5f, null);
             Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.alignment(), template, size), size)) {
            float[] source = swapper.sourceFor(frame, face);
            assertEquals(3 * size * size, source.length);
            byte[] bgr = bytes(crop);
            int plane = size * size;
            for (int i = 0; i < plane; i += 37) {
                for (int c = 0; c < 3; c++) {
                    assertEquals((bgr[3 * i + 2 - c] & 0xff) / 255f, source[c * plane + i], 1e-6f);
                }
            }
        }
    }
}
