package facefarm.worker.analysis;

import facefarm.common.jobs.FaceMapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which faces of a frame a processor works on, with FaceFusion's modes: {@code many} (all), {@code one} (the first in
 * the chosen order) and {@code reference} (those whose identity distance to the job's reference face is below the
 * threshold, default 0.3). With a job's face map, each face is compared with every mapped person instead, and only the
 * mapped people's faces are selected, each with its own source.
 */
public final class FaceSelector {
    public enum Mode { MANY, ONE, REFERENCE }

    public enum Order {
        LEFT_RIGHT("left-right", Comparator.comparingDouble(f -> f.box().x1())),
        RIGHT_LEFT("right-left", Comparator.comparingDouble((Face f) -> f.box().x1()).reversed()),
        TOP_BOTTOM("top-bottom", Comparator.comparingDouble(f -> f.box().y1())),
        BOTTOM_TOP("bottom-top", Comparator.comparingDouble((Face f) -> f.box().y1()).reversed()),
        SMALL_LARGE("small-large", Comparator.comparingDouble(f -> f.box().area())),
        LARGE_SMALL("large-small", Comparator.comparingDouble((Face f) -> f.box().area()).reversed()),
        BEST_WORST("best-worst", Comparator.comparingDouble((Face f) -> f.score()).reversed()),
        WORST_BEST("worst-best", Comparator.comparingDouble(f -> f.score()));

        private final String optionName;
        private final Comparator<Face> comparator;

        Order(String optionName, Comparator<Face> comparator) {
            this.optionName = optionName;
            this.comparator = comparator;
        }

        public String optionName() {
            return optionName;
        }

        public static Order byName(String name) {
            for (Order order : values()) {
                if (order.optionName.equals(name)) {
                    return order;
                }
            }
            throw new IllegalArgumentException("unknown face selector order '" + name
                    + "' (known: left-right, right-left, top-bottom, bottom-top, small-large, large-small, best-worst, worst-best)");
        }
    }

    public static final float DEFAULT_REFERENCE_DISTANCE = 0.3f;

    private final Mode mode;
    private final Order order;
    private final float[] referenceEmbedding;
    private final float referenceDistance;
    private final List<FaceMapping> map;

    public FaceSelector(Mode mode, Order order, float[] referenceEmbeddingNorm, float referenceDistance) {
        this(mode, order, referenceEmbeddingNorm, referenceDistance, List.of());
    }

    /** @param map the job's face map with each person's identity filled in; empty when the job has none */
    public FaceSelector(Mode mode, Order order, float[] referenceEmbeddingNorm, float referenceDistance, List<FaceMapping> map) {
        if (mode == Mode.REFERENCE && referenceEmbeddingNorm == null) {
            throw new IllegalArgumentException("reference mode needs the reference face's embedding");
        }
        this.mode = mode;
        this.order = order;
        this.referenceEmbedding = referenceEmbeddingNorm;
        this.referenceDistance = referenceDistance;
        this.map = List.copyOf(map);
        for (FaceMapping m : this.map) {
            if (m.referenceEmbedding() == null) {
                throw new IllegalArgumentException("face map entry " + m.label() + " has no identity");
            }
        }
    }

    public static Mode mode(String name) {
        return switch (name) {
            case "many" -> Mode.MANY;
            case "one" -> Mode.ONE;
            case "reference" -> Mode.REFERENCE;
            default -> throw new IllegalArgumentException("unknown face selector mode '" + name + "' (known: reference, one, many)");
        };
    }

    /** The selector a job's resolved options describe; {@code referenceEmbeddingNorm} is needed in reference mode. */
    public static FaceSelector of(facefarm.common.jobs.AnalysisOptions resolved, float[] referenceEmbeddingNorm) {
        return new FaceSelector(resolved.mapsFaces() ? Mode.MANY : mode(resolved.faceSelectorMode()), Order.byName(resolved.faceSelectorOrder()),
                referenceEmbeddingNorm, resolved.referenceFaceDistance(), resolved.mapsFaces() ? resolved.faceMap() : List.of());
    }

    public static List<Face> sorted(List<Face> faces, Order order) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(order.comparator);
        return sorted;
    }

    /** The face at {@code position} in the given order, as FaceFusion picks the reference face; null if there is none. */
    public static Face at(List<Face> faces, Order order, int position) {
        List<Face> sorted = sorted(faces, order);
        return sorted.isEmpty() ? null : sorted.get(Math.min(position, sorted.size() - 1));
    }

    /** The face's identity distance to the reference face; NaN when not in reference mode or the face has no embedding. */
    public double referenceDistance(Face face) {
        return mode != Mode.REFERENCE || face.embeddingNorm() == null ? Double.NaN : FaceRecognizer.distance(face.embeddingNorm(), referenceEmbedding);
    }

    public double referenceThreshold() {
        return referenceDistance;
    }

    public boolean selectsByReference() {
        return mode == Mode.REFERENCE;
    }

    /** Whether the job maps people to sources. */
    public boolean mapsFaces() {
        return !map.isEmpty();
    }

    /** The identities every face is compared with: the mapped people, or in reference mode the one reference face. */
    public int identities() {
        return mapsFaces() ? map.size() : mode == Mode.REFERENCE ? 1 : 0;
    }

    /** The face's distance to identity {@code i} (see {@link #identities}); NaN when the face has no embedding. */
    public double identityDistance(Face face, int i) {
        return face.embeddingNorm() == null ? Double.NaN
                : FaceRecognizer.distance(face.embeddingNorm(), mapsFaces() ? map.get(i).referenceEmbedding() : referenceEmbedding);
    }

    /** The job's source number that goes onto mapped person {@code mapping}. */
    public int source(int mapping) {
        return map.get(mapping).source();
    }

    /** FaceFusion's selection, frame by frame: in reference mode, the faces closer to the reference than the threshold. */
    public List<Face> select(List<Face> faces) {
        return select(faces, face -> face, face -> referenceDistance(face) < referenceDistance);
    }

    /**
     * The selection of {@code items} (faces with more attached), where {@code matchesReference} decides reference mode:
     * a face track's match held over time, for instance.
     */
    public <T> List<T> select(List<T> items, java.util.function.Function<T, Face> face, java.util.function.Predicate<T> matchesReference) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(face, order.comparator));
        return switch (mode) {
            case MANY -> sorted;
            case ONE -> sorted.isEmpty() ? List.of() : List.of(sorted.get(0));
            case REFERENCE -> sorted.stream().filter(matchesReference).toList();
        };
    }
}
