package facefarm.worker.analysis;

import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Identity embeddings with ArcFace's contract (arcface_w600k_r50): the face warped with arcface_112_v2 to 112x112 from
 * its alignment points, RGB, x / 127.5 - 1, NCHW; the output is the raw embedding, kept with its unit-length copy.
 */
public final class FaceRecognizer implements AutoCloseable {
    public static final String ARCFACE = "arcface_w600k_r50";
    public static final int SIZE = 112;

    private final OnnxModel session;
    private final String modelId;

    public FaceRecognizer(String modelId, Path file) {
        this.modelId = modelId;
        this.session = new OnnxModel(modelId, file);
    }

    public String modelId() {
        return modelId;
    }

    public static float[] prepare(Mat frame, List<Point> alignment) {
        double[] matrix = FaceWarp.matrix(alignment, WarpTemplate.ARCFACE_112_V2, SIZE);
        try (Mat crop = FaceWarp.crop(frame, matrix, SIZE)) {
            return FaceWarp.planes(crop, true, v -> v / 127.5f - 1);
        }
    }

    public Face embed(Mat frame, Face face) {
        return embed(List.of(frame), List.of(face)).get(0);
    }

    /** Embeddings of faces (face i is in frames i), batched when the model accepts a batch. */
    public List<Face> embed(List<Mat> frames, List<Face> faces) {
        List<float[]> crops = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            crops.add(prepare(frames.get(i), faces.get(i).alignment()));
        }
        List<float[][]> outputs = session.runEach(crops, OrtRuntime.batchSize(), 1, 3, SIZE, SIZE);
        List<Face> embedded = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            float[] raw = outputs.get(i)[0];
            embedded.add(faces.get(i).withEmbedding(raw, normalise(raw)));
        }
        return embedded;
    }

    public static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
        }
        return out;
    }

    /** FaceFusion's face distance: 1 - cosine similarity, mapped from [0, 2] to [0, 1]. */
    public static float distance(float[] normA, float[] normB) {
        double dot = 0;
        for (int i = 0; i < normA.length; i++) {
            dot += normA[i] * normB[i];
        }
        return (float) Math.max(0, Math.min(1, (1 - dot) / 2));
    }

    /** Several source photos of one person: their raw and unit embeddings averaged, as FaceFusion does. */
    public static Face averageIdentity(List<Face> faces) {
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("no faces to average");
        }
        int n = faces.get(0).embedding().length;
        float[] raw = new float[n];
        float[] norm = new float[n];
        for (Face face : faces) {
            for (int i = 0; i < n; i++) {
                raw[i] += face.embedding()[i] / faces.size();
                norm[i] += face.embeddingNorm()[i] / faces.size();
            }
        }
        return faces.get(0).withEmbedding(raw, norm);
    }

    @Override
    public void close() {
        session.close();
    }
}
