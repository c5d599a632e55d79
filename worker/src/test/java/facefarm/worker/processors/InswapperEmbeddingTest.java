package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import facefarm.worker.inference.OnnxGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inswapper's source input, with the embedding map read from an inswapper-shaped graph's last initializer. */
class InswapperEmbeddingTest {
    @TempDir
    Path dir;

    @Test
    void theSourceIsTheEmbeddingTimesTheLastInitializerOverItsNorm() {
        int n = 512;
        float[] map = new float[n * n];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) Math.sin(i * 0.001) * 0.05f;
        }
        float[] other = new float[16];
        java.util.Arrays.fill(other, 7f);
        Path model = new OnnxGraph().input("target", OnnxGraph.FLOAT, 1, 3, 128, 128).input("source", OnnxGraph.FLOAT, 1, 512)
                .output("output", OnnxGraph.FLOAT, 1, 3, 128, 128).initializer("unused_weights", other, 4, 4).initializer("emap", map, n, n)
                .identity("target", "output").write(dir.resolve("inswapper_128.onnx"));
        float[] raw = new float[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            raw[i] = (i % 7) - 3 + 0.25f;
            norm += raw[i] * raw[i];
        }
        norm = Math.sqrt(norm);
        float[] expected = new float[n];
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += raw[i] * (double) map[i * n + j];
            }
            expected[j] = (float) (sum / norm);
        }
        assertArrayEquals(expected, InswapperEmbedding.fromModel(model).source(raw), 1e-4f);
    }

    @Test
    void aModelWhoseLastInitializerIsNotASquareMapIsRefused() {
        Path model = new OnnxGraph().input("target", OnnxGraph.FLOAT, 1, 3, 128, 128).output("output", OnnxGraph.FLOAT, 1, 3, 128, 128)
                .initializer("bias", new float[] {1, 2, 3}, 3).identity("target", "output").write(dir.resolve("not_inswapper.onnx"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InswapperEmbedding.fromModel(model));
        assertEquals(model + ": the last initializer is [3], not the square embedding map of an inswapper model", e.getMessage());
    }
}
