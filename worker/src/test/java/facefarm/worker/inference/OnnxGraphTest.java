package facefarm.worker.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphTest {
    @TempDir
    Path dir;

    @Test
    void echoAndConstantGraphsRunInOnnxRuntime() throws Exception {
        Path model = new OnnxGraph()
                .input("input", OnnxGraph.FLOAT, 1, 3, 2, 2)
                .output("echo", OnnxGraph.FLOAT, 1, 3, 2, 2)
                .output("planted", OnnxGraph.FLOAT, 1, 2)
                .identity("input", "echo")
                .constant("planted", new float[] {4.5f, -1f}, 1, 2)
                .write(dir.resolve("m.onnx"));
        float[] data = new float[12];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        try (OrtSession session = OrtRuntime.open(model);
             OnnxTensor in = OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(data), new long[] {1, 3, 2, 2});
             OrtSession.Result result = session.run(Map.of("input", in))) {
            float[] echo = new float[12];
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(echo);
            assertArrayEquals(data, echo);
            float[] planted = new float[2];
            ((OnnxTensor) result.get(1)).getFloatBuffer().get(planted);
            assertArrayEquals(new float[] {4.5f, -1f}, planted);
            assertEquals(2, session.getNumOutputs());
        }
    }
}
