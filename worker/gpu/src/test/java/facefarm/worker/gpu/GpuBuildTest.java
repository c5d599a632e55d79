package facefarm.worker.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.inference.Acceleration;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.media.FrameReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GPU worker's build on a machine without a GPU (as CI's): it carries ONNX Runtime's CUDA and TensorRT
 * providers, falls back to the CPU with a note when "cpu" is in FARM_EXECUTION_PROVIDERS (surefire sets
 * "tensorrt,cuda,cpu" and FARM_GPU_DEVICE=1 here), still detects faces there, and refuses a strict "cuda" with an error
 * that says what is missing. On a GPU machine, the providers load instead, and these tests say so and skip.
 */
class GpuBuildTest {
    @Test
    void theGpuBuildHasOnnxRuntimeGpuAndTheCpuBuildDoesNot() throws Exception {
        List<String> gpu = Files.readAllLines(Path.of("target", "classpath.txt")).stream().flatMap(l -> List.of(l.split(":")).stream()).toList();
        List<String> cpu = Files.readAllLines(Path.of("..", "target", "classpath.txt")).stream().flatMap(l -> List.of(l.split(":")).stream()).toList();
        assertTrue(gpu.stream().anyMatch(jar -> jar.contains("onnxruntime_gpu-")), "the GPU worker's class path has onnxruntime_gpu");
        assertFalse(gpu.stream().anyMatch(jar -> jar.contains("/onnxruntime-")), "and not the CPU onnxruntime beside it");
        assertTrue(cpu.stream().anyMatch(jar -> jar.contains("/onnxruntime-")), "the CPU worker's class path has onnxruntime");
        assertFalse(cpu.stream().anyMatch(jar -> jar.contains("onnxruntime_gpu")), "and not onnxruntime_gpu");
        assertTrue(OrtEnvironment.getAvailableProviders().containsAll(List.of(OrtProvider.CUDA, OrtProvider.TENSOR_RT)),
                "this ONNX Runtime offers CUDA and TensorRT: " + OrtEnvironment.getAvailableProviders());
    }

    @Test
    void withoutCudaLibrariesTheWorkerFallsBackToTheCpuSaysWhyAndStillDetectsFaces() {
        OrtRuntime.environment();
        Acceleration acceleration = OrtRuntime.acceleration();
        assumeTrue(!acceleration.onGpu(), "skipped: CUDA loads on this machine (" + acceleration.device() + ")");
        assertEquals(List.of(OrtProvider.CPU), acceleration.providers());
        assertEquals("cpu", acceleration.device());
        assertTrue(acceleration.note().contains("cuda did not load on GPU 1"), "the note names the provider and the device: " + acceleration.note());
        assertTrue(acceleration.note().contains("tensorrt did not load"), acceleration.note());
        assertTrue(acceleration.note().contains("CUDA 12 and cuDNN 9"), "the note says what to install: " + acceleration.note());
        assertEquals(1, OrtRuntime.batchSize(), "batches of one on the CPU");

        ModelStore models = new ModelStore(ModelManifest.bundled(), List.of(SharedFiles.modelsDir()), SharedFiles.modelsDir(), false);
        try (FaceAnalyser analyser = FaceAnalyser.withDefaultDetector(models);
             FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST)) {
            assertEquals(1, analyser.analyse(reader.next().image()).size(), "the speaker's face, found on the CPU provider of the GPU build");
        }
    }

    @Test
    void aStrictCudaListRefusesToStartAndSaysWhatToDo() {
        OrtRuntime.environment();
        assumeTrue(!OrtRuntime.acceleration().onGpu(), "skipped: CUDA loads on this machine");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Acceleration.resolve(Map.of("FARM_EXECUTION_PROVIDERS", "cuda", "FARM_GPU_DEVICE", "0")));
        assertTrue(refused.getMessage().contains("asks for cuda only"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cuda did not load on GPU 0"), refused.getMessage());
        assertTrue(refused.getMessage().contains("add cpu to the list"), refused.getMessage());
    }
}
