package facefarm.worker.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A face's 468 FaceMesh points, with how open its eyes look in the frame's pixels ({@link EyeOpening}): this mesh
 * model keeps its lids open through blinks, so a blink is read from the pixels and judged against the same track's
 * open eyes.
 *
 * @param points     the 468 points in the frame
 * @param eyeOpening this frame's reading, in [0, 1]; NaN when unknown
 * @param openEyes   the track's reading with its eyes open around this frame; NaN without a track
 * @param light      the skin's local mean B, G, R at each point ({@link FaceLight}), smoothed along the track like the
 *                   points; null when unknown
 */
public record DenseMesh(List<Point> points, double eyeOpening, double openEyes, float[] light) {

    public DenseMesh {
        points = List.copyOf(points);
    }

    /** A mesh read from one frame, not yet judged along a track. */
    public static DenseMesh of(List<Point> points, double eyeOpening, float[] light) {
        return new DenseMesh(points, eyeOpening, Double.NaN, light);
    }

    public DenseMesh withPoints(List<Point> moved) {
        return new DenseMesh(moved, eyeOpening, openEyes, light);
    }

    public DenseMesh withLight(float[] smoothed) {
        return new DenseMesh(points, eyeOpening, openEyes, smoothed);
    }

    public DenseMesh mapped(UnaryOperator<Point> f) {
        return withPoints(points.stream().map(f).toList());
    }

    public DenseMesh withOpenEyes(double reading) {
        return new DenseMesh(points, eyeOpening, reading, light);
    }

    /**
     * This frame's eye opening over the track's open eyes (1 open, falling through a blink), or over a typical open
     * reading without a track; NaN when this frame's is unknown.
     */
    public double relativeEyeOpening() {
        return EyeOpening.relative(eyeOpening, openEyes);
    }

    /** By value, the light's samples included: a chunk must resolve a frame exactly as a one-pass render does. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DenseMesh that && points.equals(that.points) && Double.compare(eyeOpening, that.eyeOpening) == 0
                && Double.compare(openEyes, that.openEyes) == 0 && Arrays.equals(light, that.light);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * points.hashCode() + Double.hashCode(eyeOpening)) + Arrays.hashCode(light);
    }
}
