package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.models.LicenseNotAcceptedException;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.MeshUse;
import facefarm.worker.inference.OnnxGraph;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processors built the way workers build them: from the model store under FaceFusion's file names, on a job's source faces. */
class ProcessorRegistryTest {
    @TempDir
    Path dir;

    @Test
    void aSwapperIsBuiltFromTheStoreAndTheJobsSourceFaces() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        FaceSwapperTest.echoSwapper(SwapperModel.HYPERSWAP_1A_256, null, models);
        // MobileFaceNet takes ArcFace's crop but gives 128 values, not the 512 a swapper takes: a clear error
        Files.copy(SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"), models.resolve("arcface_w600k_r50.onnx"));
        RealFace real = RealFace.firstFrameOfFace2();
        List<ProcessorContext.SourceFace> sources = List.of(new ProcessorContext.SourceFace(real.frame(), real.face()));
        ModelStore wrongRecogniser = new ModelStore(ModelManifest.bundled(), List.of(models), dir.resolve("cache"), false,
                Set.of("hyperswap_1a_256", "arcface_w600k_r50"));
        var defaults = ProcessorSettings.resolve(List.of(FaceSwapper.NAME), null, wrongRecogniser).options();
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ProcessorRegistry.create(FaceSwapper.NAME, new ProcessorContext(wrongRecogniser, defaults, sources)));
        assertTrue(wrong.getMessage().contains("512-value source embedding"), wrong.getMessage());
        // an ArcFace-shaped recogniser: the 112 px crop in, 512 values out
        float[] identity = new float[512];
        identity[3] = 2;
        new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, 112, 112).output("embedding", OnnxGraph.FLOAT, 1, 512)
                .constant("embedding", identity, 1, 512).write(models.resolve("arcface_w600k_r50.onnx"));
        ModelStore unlicensed = new ModelStore(ModelManifest.bundled(), List.of(models), dir.resolve("cache"), false);
        var options = ProcessorSettings.resolve(List.of(FaceSwapper.NAME), null, unlicensed).options();
        assertThrows(LicenseNotAcceptedException.class,
                () -> ProcessorRegistry.create(FaceSwapper.NAME, new ProcessorContext(unlicensed, options, sources)));

        ModelStore store = new ModelStore(ModelManifest.bundled(), List.of(models), dir.resolve("cache"), false,
                Set.of("hyperswap_1a_256", "arcface_w600k_r50"));
        try (FrameProcessor swapper = ProcessorRegistry.create(FaceSwapper.NAME, new ProcessorContext(store, options, sources));
             Mat frame = real.frame().clone()) {
            assertInstanceOf(FaceSwapper.class, swapper);
            swapper.process(0, frame, List.of(real.face()));
            byte[] before = new byte[(int) frame.total() * 3];
            byte[] after = new byte[before.length];
            ((ByteBuffer) real.frame().createBuffer()).get(before);
            ((ByteBuffer) frame.createBuffer()).get(after);
            long changed = 0;
            int worst = 0;
            for (int i = 0; i < before.length; i++) {
                int diff = Math.abs((before[i] & 0xff) - (after[i] & 0xff));
                worst = Math.max(worst, diff);
                changed += diff > 0 ? 1 : 0;
            }
            // an identity swapper: the face is pasted back resampled, nothing moves
            assertTrue(changed > 0 && worst < 60, "changed " + changed + " values, worst by " + worst);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ProcessorRegistry.create(FaceSwapper.NAME, new ProcessorContext(store, options, List.of())),
                "no source face is a clear error");
        real.frame().close();
    }

    @Test
    void theChainSaysWhatItTakesFromTheMesh() {
        assertEquals(MeshUse.POINTS_AND_READINGS, ProcessorRegistry.meshUse(List.of(LipSyncer.NAME, MeshSwapper.NAME), false));
        assertEquals(MeshUse.POINTS, ProcessorRegistry.meshUse(List.of(LipSyncer.NAME, FaceEnhancer.NAME), false));
        assertEquals(MeshUse.NONE, ProcessorRegistry.meshUse(List.of(LipSyncer.NAME), true), "68 points from analysis serve the lip syncer");
        assertEquals(MeshUse.NONE, ProcessorRegistry.meshUse(List.of(FaceSwapper.NAME, FaceEnhancer.NAME), false));
    }

    @Test
    void meshSwapperNeedsOnlyFaceMesh() {
        RealFace real = RealFace.firstFrameOfFace2();
        ModelStore store = new ModelStore(ModelManifest.bundled(), List.of(SharedFiles.modelsDir()), dir.resolve("cache"), false);
        var options = ProcessorSettings.resolve(null, null, store).options();
        assertEquals(List.of(MeshSwapper.NAME), ProcessorSettings.resolve(null, null, store).processors());
        try (FrameProcessor mesh = ProcessorRegistry.create(MeshSwapper.NAME,
                new ProcessorContext(store, options, List.of(new ProcessorContext.SourceFace(real.frame(), real.face()))))) {
            assertInstanceOf(MeshSwapper.class, mesh);
        }
        real.frame().close();
    }
}
