package facefarm.common.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameFinishTest {
    @Test
    void capsTheHeightKeepingTheAspectInEvenSizes() {
        assertArrayEquals(new int[] {1280, 720}, new FrameFinish(1080, null, null).outputSize(1280, 720), "within the cap");
        assertArrayEquals(new int[] {1280, 720}, FrameFinish.NONE.outputSize(1280, 720), "no cap");
        assertArrayEquals(new int[] {1280, 720}, new FrameFinish(720, null, null).outputSize(3840, 2160));
        assertArrayEquals(new int[] {640, 480}, new FrameFinish(481, null, null).outputSize(1440, 1080), "an odd cap is rounded down to even");
        assertArrayEquals(new int[] {406, 720}, new FrameFinish(720, null, null).outputSize(1080, 1916), "portrait");
    }

    @Test
    void labelsSayWhatIsWrong() {
        assertTrue(new VisibleLabel("AI-generated", null, null).problems().isEmpty());
        assertEquals("bottom-right", new VisibleLabel("AI-generated", null, null).position());
        List<String> problems = new VisibleLabel("KI-generiert \u00fcberall", "middle", 1.5).problems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("printable ASCII"), problems.get(0));
    }
}
