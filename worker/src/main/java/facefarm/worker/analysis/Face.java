package facefarm.worker.analysis;

import java.util.List;

/**
 * A face in a frame. Detection gives the box, score and 5 points; the landmarker adds 68 points and its score; the
 * recogniser adds the identity embedding (raw and unit length); FaceMesh adds the dense 468-point mesh when a processor
 * works on it. {@link #alignment()} is the 5 points crops are made from: derived from the 68 when the landmarker was
 * confident, else the detector's.
 */
public record Face(
        Box box,
        float score,
        List<Point> landmark5,
        List<Point> landmark68,
        float landmarkScore,
        List<Point> alignment,
        float[] embedding,
        float[] embeddingNorm,
        DenseMesh mesh) {

    public Face {
        landmark5 = List.copyOf(landmark5);
        landmark68 = landmark68 == null ? null : List.copyOf(landmark68);
        alignment = alignment == null ? landmark5 : List.copyOf(alignment);
    }

    public static Face detected(Box box, float score, List<Point> landmark5) {
        return new Face(box, score, landmark5, null, 0, null, null, null, null);
    }

    public Face withLandmarks(List<Point> points68, float score, List<Point> alignment5) {
        return new Face(box, this.score, landmark5, points68, score, alignment5, embedding, embeddingNorm, mesh);
    }

    public Face withEmbedding(float[] raw, float[] normalised) {
        return new Face(box, score, landmark5, landmark68, landmarkScore, alignment, raw, normalised, mesh);
    }

    public Face withMesh(DenseMesh dense) {
        return new Face(box, score, landmark5, landmark68, landmarkScore, alignment, embedding, embeddingNorm, dense);
    }

    public Face mapped(java.util.function.UnaryOperator<Point> f) {
        List<Point> five = landmark5.stream().map(f).toList();
        Point a = f.apply(new Point(box.x1(), box.y1()));
        Point b = f.apply(new Point(box.x2(), box.y2()));
        Box mappedBox = new Box(Math.min(a.x(), b.x()), Math.min(a.y(), b.y()), Math.max(a.x(), b.x()), Math.max(a.y(), b.y()));
        return new Face(mappedBox, score, five, landmark68 == null ? null : landmark68.stream().map(f).toList(), landmarkScore,
                alignment.stream().map(f).toList(), embedding, embeddingNorm, mesh == null ? null : mesh.mapped(f));
    }
}
