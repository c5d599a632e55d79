package facefarm.worker.analysis;

import java.util.List;

/**
 * FaceFusion's 5-point warp templates, normalised to a unit crop (left eye, right eye, nose, left and right mouth
 * corner); multiply by the crop size.
 */
public enum WarpTemplate {
    ARCFACE_112_V1(0.35473214, 0.45658929, 0.64526786, 0.45658929, 0.50000000, 0.61154464, 0.37913393, 0.77687500, 0.62086607, 0.77687500),
    ARCFACE_112_V2(0.34191607, 0.46157411, 0.65653393, 0.45983393, 0.50022500, 0.64050536, 0.37097589, 0.82469196, 0.63151696, 0.82325089),
    ARCFACE_128(0.36167656, 0.40387734, 0.63696719, 0.40235469, 0.50019687, 0.56044219, 0.38710391, 0.72160547, 0.61507734, 0.72034453),
    DFL_WHOLE_FACE(0.35342266, 0.39285716, 0.62797622, 0.39285716, 0.48660713, 0.54017860, 0.38839287, 0.68750011, 0.59821427, 0.68750011),
    FFHQ_512(0.37691676, 0.46864664, 0.62285697, 0.46912813, 0.50123859, 0.61331904, 0.39308822, 0.72541100, 0.61150205, 0.72490465),
    MTCNN_512(0.36562865, 0.46733799, 0.63305391, 0.46585885, 0.50019127, 0.61942959, 0.39032951, 0.77598822, 0.61178945, 0.77476328),
    STYLEGANEX_384(0.42353745, 0.52289879, 0.57725008, 0.52319972, 0.50123859, 0.61331904, 0.43364461, 0.68337652, 0.57015325, 0.68306005);

    private final double[] xy;

    WarpTemplate(double... xy) {
        this.xy = xy;
    }

    /** The template's points for a square crop of {@code size} pixels. */
    public List<Point> points(double size) {
        return List.of(point(0, size), point(1, size), point(2, size), point(3, size), point(4, size));
    }

    private Point point(int i, double size) {
        return new Point((float) (xy[2 * i] * size), (float) (xy[2 * i + 1] * size));
    }

    public double x(int i) {
        return xy[2 * i];
    }

    public double y(int i) {
        return xy[2 * i + 1];
    }
}
