package facefarm.worker.processors;

import facefarm.common.jobs.ProcessorOptions;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Point;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * FaceFusion's face_swapper (facefusion.md 3.5). Per target face: crop at the pixel-boost size with the model's
 * template from the '5/68' points; box and occlusion masks on that crop; the swap, on t² strided sub-crops when the
 * boost is t times the model's size; area and region masks on the swapped crop; paste back. The source input is
 * made once per job from the source faces (averaged embedding, or the first source face's image), and balanced
 * against each target face's embedding when the weight is not 0.5.
 */
public final class FaceSwapper implements FrameProcessor {
    public static final String NAME = "face_swapper";
    public static final float DEFAULT_WEIGHT = 0.5f;

    private final SwapperModel model;
    private final OnnxModel session;
    private final OnnxModel converter;
    private final InswapperEmbedding inswapper;
    private final FaceRecognizer recognizer;
    private final FaceMasker masker;
    private final int pixelBoost;
    private final float balance;
    private final float[] source;
    private final List<float[]> perSource = new ArrayList<>();

    /**
     * @param converter  the crossface model for CONVERTED sources, else null
     * @param inswapper  the embedding map for INSWAPPER sources, else null
     * @param recognizer ArcFace, for target embeddings when the weight moves the identity; may be null at weight 0.5
     * @param sourceFace the averaged source face (embedding models) or the first source image's face (image models)
     * @param sourceImage the image {@code sourceFace} is in (read by image models only)
     * All resources are closed with this processor.
     */
    public FaceSwapper(SwapperModel model, OnnxModel session, OnnxModel converter, InswapperEmbedding inswapper, FaceRecognizer recognizer,
                       FaceMasker masker, int pixelBoost, float weight, Face sourceFace, Mat sourceImage) {
        this.model = model;
        this.session = session;
        this.converter = converter;
        this.inswapper = inswapper;
        this.recognizer = recognizer;
        this.masker = masker;
        this.pixelBoost = pixelBoost;
        PixelBoost.factor(pixelBoost, model.size());
        // FaceFusion's balance_source_embedding: weight 0..1 becomes 0.35..-0.35, the share of the target identity
        this.balance = model.source().isImage() ? 0 : 0.35f - 0.7f * weight;
        if (!session.inputNames().containsAll(List.of("source", "target"))) {
            throw new IllegalArgumentException(model.id() + " has inputs " + session.inputNames() + ", not FaceFusion's 'source' and 'target'");
        }
        long[] declared = session.inputShape("source");
        if (!model.source().isImage() && declared.length == 2 && declared[1] > 0 && model.converter() == null
                && declared[1] != sourceFace.embedding().length) {
            throw new IllegalArgumentException(model.id() + " takes a " + declared[1] + "-value source embedding, but the face recogniser gives "
                    + sourceFace.embedding().length + " values: install FaceFusion's arcface_w600k_r50");
        }
        this.source = model.source().isImage() ? sourceImage(model.source(), sourceImage, sourceFace) : embedding(sourceFace.embedding());
    }

    @Override
    public String name() {
        return NAME;
    }

    public SwapperModel model() {
        return model;
    }

    /**
     * Registers the job's next source for face maps, in the job's order: its own input (one face's embedding, or its
     * image), where faces no map assigns get the job's averaged one.
     */
    public void addSource(Face face, Mat image) {
        perSource.add(model.source().isImage() ? sourceImage(model.source(), image, face) : embedding(face.embedding()));
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        for (Face face : faces) {
            swap(frame, face, source);
        }
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces, int sourceNumber) {
        if (sourceNumber < 0 || sourceNumber >= perSource.size()) {
            throw new IllegalArgumentException("source " + sourceNumber + " asked of a swapper given " + perSource.size() + " source(s)");
        }
        for (Face face : faces) {
            swap(frame, face, perSource.get(sourceNumber));
        }
    }

    public void swap(Mat frame, Face target) {
        swap(frame, target, source);
    }

    private void swap(Mat frame, Face target, float[] sourceInput) {
        double[] matrix = FaceWarp.matrix(target.alignment(), model.template(), pixelBoost);
        try (Mat crop = FaceWarp.crop(frame, matrix, pixelBoost)) {
            List<Mat> masks = new ArrayList<>(masker.beforeSwap(crop));
            try (Mat swapped = swapCrop(crop, sourceFor(frame, target, sourceInput))) {
                List<Point> landmarks = target.landmark68() == null ? null : FaceWarp.apply(matrix, target.landmark68());
                masks.addAll(masker.afterSwap(swapped, landmarks));
                try (Mat mask = FaceMasker.combine(masks, crop.cols(), crop.rows())) {
                    PasteBack.paste(frame, swapped, mask, matrix);
                }
            }
        }
    }

    /** The swapped crop at the crop's size: one run, or one per pixel-boost sub-crop. */
    public Mat swapCrop(Mat crop, float[] sourceInput) {
        if (crop.cols() == model.size()) {
            return run(crop, sourceInput);
        }
        List<Mat> tiles = PixelBoost.split(crop, model.size());
        List<Mat> swapped = new ArrayList<>(tiles.size());
        try {
            for (Mat tile : tiles) {
                swapped.add(run(tile, sourceInput));
            }
            return PixelBoost.join(swapped);
        } finally {
            tiles.forEach(Mat::close);
            swapped.forEach(Mat::close);
        }
    }

    private Mat run(Mat crop, float[] sourceInput) {
        long[] sourceShape = model.source() == SwapperModel.Source.IMAGE_ARCFACE_112 ? new long[] {1, 3, 112, 112}
                : model.source() == SwapperModel.Source.IMAGE_FFHQ_256 ? new long[] {1, 3, 256, 256} : new long[] {1, sourceInput.length};
        float[][] out = session.run(List.of(new OnnxModel.Input("source", sourceInput, sourceShape),
                new OnnxModel.Input("target", model.input().tensor(crop), 1, 3, crop.rows(), crop.cols())));
        return model.output().image(out[0], crop.cols());
    }

    /** The source input for one target face: the job's, moved towards or away from the target's identity by the weight. */
    float[] sourceFor(Mat frame, Face target) {
        return sourceFor(frame, target, source);
    }

    private float[] sourceFor(Mat frame, Face target, float[] source) {
        if (balance == 0) {
            return source;
        }
        if (target.embedding() == null && recognizer == null) {
            throw new IllegalStateException("a face swapper weight other than 0.5 needs the face recogniser for the target's identity");
        }
        float[] raw = target.embedding() != null ? target.embedding() : recognizer.embed(frame, target).embedding();
        float[] targetEmbedding = embedding(raw);
        if (model.normalisesTargetEmbedding()) {
            targetEmbedding = FaceRecognizer.normalise(targetEmbedding);
        }
        float[] balanced = new float[source.length];
        for (int i = 0; i < balanced.length; i++) {
            balanced[i] = source[i] * (1 - balance) + targetEmbedding[i] * balance;
        }
        return balanced;
    }

    /** A raw ArcFace embedding as this model's source input. */
    float[] embedding(float[] raw) {
        return switch (model.source()) {
            case INSWAPPER -> inswapper.source(raw);
            case NORMED_EMBEDDING -> FaceRecognizer.normalise(raw);
            case CONVERTED -> converter.run(raw, 1, raw.length)[0];
            case CONVERTED_NORMED -> FaceRecognizer.normalise(converter.run(raw, 1, raw.length)[0]);
            default -> throw new IllegalStateException(model.id() + " takes an image, not an embedding");
        };
    }

    /** blendswap: the source face at arcface_112_v2 112 px; uniface: at ffhq_512 256 px; both RGB / 255. */
    static float[] sourceImage(SwapperModel.Source kind, Mat image, Face face) {
        WarpTemplate template = kind == SwapperModel.Source.IMAGE_ARCFACE_112 ? WarpTemplate.ARCFACE_112_V2 : WarpTemplate.FFHQ_512;
        int size = kind == SwapperModel.Source.IMAGE_ARCFACE_112 ? 112 : 256;
        try (Mat crop = FaceWarp.crop(image, FaceWarp.matrix(face.alignment(), template, size), size)) {
            return FaceWarp.planes(crop, true, v -> v / 255f);
        }
    }

    /** FaceFusion's default pixel boost: the model's own size. */
    public static int pixelBoost(SwapperModel model, ProcessorOptions options) {
        return options.faceSwapperPixelBoost() == null ? model.size() : options.faceSwapperPixelBoost();
    }

    @Override
    public void close() {
        session.close();
        if (converter != null) {
            converter.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
        masker.close();
    }
}
