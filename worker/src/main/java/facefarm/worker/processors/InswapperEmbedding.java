package facefarm.worker.processors;

import facefarm.worker.inference.OnnxInitializers;
import java.nio.file.Path;

/**
 * The {@code source} input of inswapper_128 (and _fp16): the raw ArcFace embedding times the model's embedding map
 * (the graph's last initializer, 512x512), divided by the embedding's norm. As FaceFusion does it, the result is not
 * normalised again (insightface's own INSwapper does; FaceFusion's files are what studios drop in).
 */
public final class InswapperEmbedding {
    private final float[] map;
    private final int size;

    public InswapperEmbedding(float[] map, int size) {
        if (map.length != size * size) {
            throw new IllegalArgumentException("the embedding map has " + map.length + " values, not " + size + "x" + size);
        }
        this.map = map;
        this.size = size;
    }

    /** The map read from the model file itself, so a fp16 or re-exported inswapper brings its own. */
    public static InswapperEmbedding fromModel(Path model) {
        OnnxInitializers.Tensor last = OnnxInitializers.last(model);
        if (last.shape().length != 2 || last.shape()[0] != last.shape()[1]) {
            throw new IllegalArgumentException(model + ": the last initializer is " + java.util.Arrays.toString(last.shape())
                    + ", not the square embedding map of an inswapper model");
        }
        return new InswapperEmbedding(last.values(), (int) last.shape()[0]);
    }

    public float[] source(float[] rawEmbedding) {
        if (rawEmbedding.length != size) {
            throw new IllegalArgumentException("inswapper takes a " + size + "-value embedding, got " + rawEmbedding.length);
        }
        double norm = 0;
        for (float v : rawEmbedding) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            float e = rawEmbedding[i];
            for (int j = 0; j < size; j++) {
                out[j] += e * map[i * size + j];
            }
        }
        for (int j = 0; j < size; j++) {
            out[j] = (float) (out[j] / norm);
        }
        return out;
    }
}
