package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.MeshedFace;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The light on a face is its skin's: eyes, lips and brows do not darken it, and a change of light comes through. */
class FaceLightTest {

    @Test
    void theSkinsLightAtEveryPointWithoutTheEyesDarkAndFollowingAChangeOfLight() {
        try (MeshedFace face = MeshedFace.astronaut(); Mat darker = new Mat()) {
            Mat photo = face.image();
            List<Point> points = face.points();
            float[] light = FaceLight.sample(photo, points);
            assertEquals(468 * 3, light.length);
            // the right eye's upper lid middle (159) against the right cheek (50): the eye's sclera, iris and lashes are left out
            double eye = lightness(light, 159);
            double cheek = lightness(light, 50);
            assertTrue(Math.abs(eye - cheek) < 0.2 * cheek, "at the eye the skin around it: " + eye + " against the cheek's " + cheek);
            photo.convertTo(darker, -1, 0.5, 0);
            float[] dim = FaceLight.sample(darker, points);
            assertEquals(0.5, lightness(dim, 50) / cheek, 0.03, "half the light, half the mean");
            try (Mat blank = new Mat(photo.size(), photo.type(), new Scalar(0, 0, 0, 0))) {
                List<Point> tiny = points.stream().map(p -> new Point(p.x() * 0.01f, p.y() * 0.01f)).toList();
                assertNull(FaceLight.sample(blank, tiny), "a face a few pixels wide has no light to read");
            }
        }
    }

    private static double lightness(float[] light, int point) {
        return (light[3 * point] + light[3 * point + 1] + light[3 * point + 2]) / 3;
    }
}
