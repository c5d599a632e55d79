package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceSelectorTest {
    private static Face face(float x, float y, float size, float score, float[] identity) {
        Face face = Face.detected(new Box(x, y, x + size, y + size), score, List.of());
        return identity == null ? face : face.withEmbedding(identity, FaceRecognizer.normalise(identity));
    }

    private final Face left = face(10, 50, 40, 0.9f, new float[] {1, 0, 0});
    private final Face middle = face(100, 10, 80, 0.6f, new float[] {0.9f, 0.1f, 0});
    private final Face right = face(300, 90, 20, 0.7f, new float[] {0, 1, 0});
    private final List<Face> faces = List.of(middle, right, left);

    @Test
    void ordersAsFaceFusionNamesThem() {
        assertEquals(List.of(left, middle, right), FaceSelector.sorted(faces, FaceSelector.Order.byName("left-right")));
        assertEquals(List.of(right, middle, left), FaceSelector.sorted(faces, FaceSelector.Order.byName("right-left")));
        assertEquals(List.of(middle, left, right), FaceSelector.sorted(faces, FaceSelector.Order.byName("top-bottom")));
        assertEquals(List.of(right, left, middle), FaceSelector.sorted(faces, FaceSelector.Order.byName("bottom-top")));
        assertEquals(List.of(right, left, middle), FaceSelector.sorted(faces, FaceSelector.Order.byName("small-large")));
        assertEquals(List.of(middle, left, right), FaceSelector.sorted(faces, FaceSelector.Order.byName("large-small")));
        assertEquals(List.of(left, right, middle), FaceSelector.sorted(faces, FaceSelector.Order.byName("best-worst")));
        assertEquals(List.of(middle, right, left), FaceSelector.sorted(faces, FaceSelector.Order.byName("worst-best")));
        assertThrows(IllegalArgumentException.class, () -> FaceSelector.Order.byName("random"));
    }

    @Test
    void modes() {
        FaceSelector.Order largeSmall = FaceSelector.Order.LARGE_SMALL;
        assertEquals(List.of(middle, left, right), new FaceSelector(FaceSelector.Mode.MANY, largeSmall, null, 0.3f).select(faces));
        assertEquals(List.of(middle), new FaceSelector(FaceSelector.Mode.ONE, largeSmall, null, 0.3f).select(faces));
        assertEquals(List.of(), new FaceSelector(FaceSelector.Mode.ONE, largeSmall, null, 0.3f).select(List.of()));
        Face reference = FaceSelector.at(faces, FaceSelector.Order.LEFT_RIGHT, 0);
        assertEquals(left, reference);
        FaceSelector byReference = new FaceSelector(FaceSelector.Mode.REFERENCE, largeSmall, reference.embeddingNorm(), 0.3f);
        assertEquals(List.of(middle, left), byReference.select(faces), "the two faces near identity (1, 0, 0); not the orthogonal one");
        assertEquals(right, FaceSelector.at(faces, FaceSelector.Order.LEFT_RIGHT, 7), "a position past the end takes the last face");
        assertThrows(IllegalArgumentException.class, () -> new FaceSelector(FaceSelector.Mode.REFERENCE, largeSmall, null, 0.3f));
    }
}
