package facefarm.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtProvider;
import facefarm.worker.media.VideoEncoders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU worker's choice of execution provider and chunk encoder, on the CPU build of ONNX Runtime. */
class AccelerationTest {
    @TempDir
    Path scratch;

    @Test
    void theDefaultListRunsOnTheCpuOfTheCpuBuild() {
        OrtRuntime.environment();
        Acceleration acceleration = Acceleration.resolve(Map.of());
        assertEquals(List.of(OrtProvider.CPU), acceleration.providers());
        assertEquals("cpu", acceleration.device());
        assertEquals("cpu", acceleration.providerName());
        assertTrue(acceleration.note().contains("CPU build"), acceleration.note());
    }

    @Test
    void aStrictGpuListOnTheCpuBuildRefusesAndNamesTheGpuBuild() {
        OrtRuntime.environment();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Acceleration.resolve(Map.of("FARM_EXECUTION_PROVIDERS", "cuda")));
        assertTrue(refused.getMessage().contains("GPU worker image"), refused.getMessage());
    }

    @Test
    void malformedSettingsAreRefusedWithWhatToWrite() {
        IllegalArgumentException provider = assertThrows(IllegalArgumentException.class, () -> Acceleration.parse("cuda,rocm"));
        assertTrue(provider.getMessage().contains("'rocm'") && provider.getMessage().contains("tensorrt, cuda, cpu"), provider.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class, () -> Acceleration.gpuDevice(Map.of("FARM_GPU_DEVICE", "gpu1")));
        assertTrue(device.getMessage().contains("FARM_GPU_DEVICE=gpu1"), device.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Acceleration.gpuDevice(Map.of("FARM_GPU_DEVICE", "-1")));
        assertEquals(3, Acceleration.gpuDevice(Map.of("FARM_GPU_DEVICE", "3")));
        assertEquals(0, Acceleration.gpuDevice(Map.of()), "one visible GPU is device 0");
        assertEquals(List.of(OrtProvider.CUDA, OrtProvider.CPU), Acceleration.parse(" CUDA , cpu,cuda"));
    }

    @Test
    void chunksUseNvencOnlyWhereItOpens() {
        assertEquals(VideoEncoders.SOFTWARE_H264, VideoEncoders.choose(Map.of(), false, scratch).h264(), "a CPU worker encodes on the CPU");
        VideoEncoders fallback = VideoEncoders.choose(Map.of(), true, scratch);
        // no NVIDIA GPU here: a GPU worker whose NVENC does not open falls back, saying why
        assertEquals(VideoEncoders.SOFTWARE_H264, fallback.h264());
        assertTrue(fallback.note().contains("h264_nvenc") && fallback.note().contains("does not open"), fallback.note());
        IllegalArgumentException strict = assertThrows(IllegalArgumentException.class,
                () -> VideoEncoders.choose(Map.of("FARM_VIDEO_ENCODER", "nvenc"), true, scratch));
        assertTrue(strict.getMessage().contains("FARM_VIDEO_ENCODER=auto"), strict.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VideoEncoders.choose(Map.of("FARM_VIDEO_ENCODER", "x264"), false, scratch));
        assertEquals(VideoEncoders.SOFTWARE_H264, VideoEncoders.current().h264(), "a refused choice leaves the last one in place");
    }
}
