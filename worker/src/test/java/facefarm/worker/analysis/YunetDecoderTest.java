package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class YunetDecoderTest {

    private static float[][] emptyOutputs(int size) {
        float[][] outputs = new float[12][];
        for (int s = 0; s < 3; s++) {
            int cells = (size / YunetDecoder.STRIDES[s]) * (size / YunetDecoder.STRIDES[s]);
            outputs[s] = new float[cells];
            outputs[s + 3] = new float[cells];
            outputs[s + 6] = new float[cells * 4];
            outputs[s + 9] = new float[cells * 10];
        }
        return outputs;
    }

    @Test
    void plantedDetectionDecodesToThePlantedBox() {
        float[][] outputs = emptyOutputs(640);
        int stride = 16;
        int cols = 640 / stride;
        int cell = 10 * cols + 7;
        outputs[1][cell] = 0.9f;
        outputs[4][cell] = 0.8f;
        outputs[7][cell * 4] = 0.5f;
        outputs[7][cell * 4 + 1] = 0.25f;
        outputs[7][cell * 4 + 2] = (float) Math.log(4);
        outputs[7][cell * 4 + 3] = (float) Math.log(6);
        outputs[10][cell * 10] = 1f;
        outputs[10][cell * 10 + 1] = -1f;
        List<Face> faces = YunetDecoder.decode(outputs, 640, 2f, 1f, 0.5f);
        assertEquals(1, faces.size());
        Face face = faces.get(0);
        assertEquals(0.72f, face.score(), 1e-6);
        float cx = 0.5f * 16 + 7 * 16;
        float cy = 0.25f * 16 + 10 * 16;
        assertEquals((cx - 32) * 2, face.box().x1(), 1e-3);
        assertEquals(cy - 48, face.box().y1(), 1e-3);
        assertEquals((cx + 32) * 2, face.box().x2(), 1e-3);
        assertEquals(cy + 48, face.box().y2(), 1e-3);
        assertEquals((16 + 7 * 16) * 2, face.landmark5().get(0).x(), 1e-3);
        assertEquals(-16 + 10 * 16, face.landmark5().get(0).y(), 1e-3);
    }

    @Test
    void scoresBelowThresholdAreDropped() {
        float[][] outputs = emptyOutputs(640);
        outputs[0][5] = 0.7f;
        outputs[3][5] = 0.7f;
        assertEquals(0, YunetDecoder.decode(outputs, 640, 1f, 1f, 0.5f).size(), "0.49 < 0.5");
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxes() {
        Face strong = Face.detected(new Box(0, 0, 100, 100), 0.9f, List.of());
        Face overlapping = Face.detected(new Box(10, 10, 110, 110), 0.8f, List.of());
        Face apart = Face.detected(new Box(300, 300, 400, 400), 0.6f, List.of());
        assertEquals(List.of(strong, apart), NonMaxSuppression.apply(List.of(overlapping, apart, strong), 0.4f));
    }
}
