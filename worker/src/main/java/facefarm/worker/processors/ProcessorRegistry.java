package facefarm.worker.processors;

import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.planning.Overlap;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.MeshUse;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import facefarm.worker.masks.OcclusionMasker;
import facefarm.worker.masks.RegionMasker;
import java.util.ArrayList;
import java.util.List;

/** The processors this build can run, by FaceFusion's names, built from a job's context. */
public final class ProcessorRegistry {
    public static final List<String> KNOWN = facefarm.common.jobs.OptionRules.PROCESSORS;
    /** Processors that put a source face onto the target's, and so need at least one source image. */
    public static final List<String> SWAPPERS = List.of(FaceSwapper.NAME, MeshSwapper.NAME);

    private ProcessorRegistry() {
    }

    /** Loads the processor's models; fails with the model store's error when one is missing or its licence not accepted. */
    public static FrameProcessor create(String name, ProcessorContext context) {
        return switch (name) {
            case FaceDebugger.NAME -> new FaceDebugger();
            case FaceSwapper.NAME -> swapper(context);
            case FaceEnhancer.NAME -> enhancer(context);
            case MeshSwapper.NAME -> meshSwapper(context);
            case LipSyncer.NAME -> lipSyncer(context);
            default -> throw new IllegalArgumentException("unknown processor '" + name + "' (known: " + String.join(", ", KNOWN) + ")");
        };
    }

    /** Builds a whole chain, closing what was built when a later processor fails to load. */
    public static List<FrameProcessor> createAll(List<String> names, ProcessorContext context) {
        List<FrameProcessor> chain = new ArrayList<>(names.size());
        try {
            for (String name : names) {
                chain.add(create(name, context));
            }
            return chain;
        } catch (RuntimeException e) {
            chain.forEach(FrameProcessor::close);
            throw e;
        }
    }

    /**
     * The frames of context a chain's own state reads around the frame it changes: its processors' declarations added
     * up, since each one's output is the next one's input. Declared by name, so ingest plans chunks without loading a model. Every processor of this build works
     * on its frame alone: what it needs from other frames (smoothed, gap-filled tracks) the tracking stage before it
     * gives, and declares itself.
     */
    public static Overlap overlap(List<String> chain) {
        Overlap total = Overlap.NONE;
        for (String name : chain) {
            Overlap own = switch (name) {
                case FaceSwapper.NAME, FaceEnhancer.NAME, MeshSwapper.NAME, LipSyncer.NAME, FaceDebugger.NAME -> Overlap.NONE;
                default -> throw new IllegalArgumentException("unknown processor '" + name + "' (known: " + String.join(", ", KNOWN) + ")");
            };
            total = total.plus(own);
        }
        return total;
    }

    /**
     * What the chain takes from the dense 468-point mesh, which analysis then finds (and tracking smooths): the mesh
     * swapper its points and readings, the lip syncer its points when analysis has no 68-point landmarker to give it
     * the mouth's 68 points.
     */
    public static MeshUse meshUse(List<String> chain, boolean has68Landmarks) {
        if (chain.contains(MeshSwapper.NAME)) {
            return MeshUse.POINTS_AND_READINGS;
        }
        return chain.contains(LipSyncer.NAME) && !has68Landmarks ? MeshUse.POINTS : MeshUse.NONE;
    }

    /** Whether the chain needs a source face image. */
    public static boolean needsSourceFace(List<String> chain) {
        return chain.stream().anyMatch(SWAPPERS::contains);
    }

    /** Whether the chain hears the job's audio. */
    public static boolean needsAudio(List<String> chain) {
        return chain.contains(LipSyncer.NAME);
    }

    private static FaceSwapper swapper(ProcessorContext context) {
        ProcessorOptions o = context.options();
        ModelStore models = context.models();
        SwapperModel model = SwapperModel.byId(o.faceSwapperModel());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            OnnxModel session = open(opened, new OnnxModel(model.id(), models.resolve(model.id())));
            OnnxModel converter = model.converter() == null ? null : open(opened, new OnnxModel(model.converter(), models.resolve(model.converter())));
            InswapperEmbedding inswapper = model.source() == SwapperModel.Source.INSWAPPER ? InswapperEmbedding.fromModel(models.resolve(model.id())) : null;
            FaceRecognizer recognizer = model.source().isImage() ? null
                    : open(opened, new FaceRecognizer(FaceRecognizer.ARCFACE, models.resolve(FaceRecognizer.ARCFACE)));
            FaceMasker masker = open(opened, masker(o, o.faceMaskTypes(), o.faceMaskPadding(), models));
            ProcessorContext.SourceFace first = context.firstSource();
            List<Face> faces = recognizer == null ? context.sources().stream().map(ProcessorContext.SourceFace::face).toList() : embedded(context, recognizer);
            Face source = recognizer == null ? first.face() : FaceRecognizer.averageIdentity(faces);
            FaceSwapper swapper = new FaceSwapper(model, session, converter, inswapper, recognizer, masker, FaceSwapper.pixelBoost(model, o),
                    o.faceSwapperWeight(), source, first.image());
            for (int i = 0; i < faces.size(); i++) {
                swapper.addSource(faces.get(i), context.sources().get(i).image());
            }
            return swapper;
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** Every source face with its embedding: each one's own for face maps, and their average for FaceFusion's average face. */
    private static List<Face> embedded(ProcessorContext context, FaceRecognizer recognizer) {
        List<Face> faces = new ArrayList<>();
        for (ProcessorContext.SourceFace source : context.sources()) {
            faces.add(source.face().embedding() != null ? source.face() : recognizer.embed(source.image(), source.face()));
        }
        return faces;
    }

    private static FaceEnhancer enhancer(ProcessorContext context) {
        ProcessorOptions o = context.options();
        EnhancerModel model = EnhancerModel.byId(o.faceEnhancerModel());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            OnnxModel session = open(opened, new OnnxModel(model.id(), context.models().resolve(model.id())));
            // FaceFusion's enhancer always masks with the box (no padding) and adds occlusion when the job chose it
            List<String> types = o.faceMaskTypes().contains("occlusion") ? List.of("box", "occlusion") : List.of("box");
            FaceMasker masker = open(opened, masker(o, types, List.of(0, 0, 0, 0), context.models()));
            return new FaceEnhancer(model, session, masker, o.faceEnhancerBlend(), o.faceEnhancerWeight());
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static MeshSwapper meshSwapper(ProcessorContext context) {
        FaceMesh468 mesh = new FaceMesh468(context.models().resolve(FaceMesh468.MODEL_ID));
        try {
            context.firstSource();
            List<MeshSwapper.Source> sources = new ArrayList<>();
            for (ProcessorContext.SourceFace source : context.sources()) {
                List<facefarm.worker.analysis.Point> points = source.face().mesh() != null ? source.face().mesh().points() : mesh.run(source.image(), source.face()).points();
                sources.add(new MeshSwapper.Source(source.image().clone(), points));
            }
            return new MeshSwapper(mesh, sources, MeshSwapper.Blend.byName(context.options().meshSwapperBlend()));
        } catch (RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    private static LipSyncer lipSyncer(ProcessorContext context) {
        if (context.voice() == null) {
            throw new IllegalArgumentException("lip_syncer needs the job's audio: give the job an audio file (--audio, or the API's 'audio' part)");
        }
        ProcessorOptions o = context.options();
        LipSyncerModel model = LipSyncerModel.byId(o.lipSyncerModel());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            OnnxModel session = open(opened, new OnnxModel(model.id(), context.models().resolve(model.id())));
            // Wav2Lip masks with the lower-face area itself; EDTalk with the job's box; both add occlusion when chosen
            List<String> types = new ArrayList<>();
            if (model.kind() == LipSyncerModel.Kind.EDTALK) {
                types.add("box");
            }
            if (o.faceMaskTypes().contains("occlusion")) {
                types.add("occlusion");
            }
            FaceMasker masker = open(opened, masker(o, types, o.faceMaskPadding(), context.models()));
            return new LipSyncer(model, session, masker, context.voice(), o.lipSyncerWeight());
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static FaceMasker masker(ProcessorOptions o, List<String> types, List<Integer> padding, ModelStore models) {
        OcclusionMasker occlusion = types.contains("occlusion") ? new OcclusionMasker(models.resolve(o.faceOccluderModel())) : null;
        try {
            RegionMasker region = types.contains("region") ? new RegionMasker(models.resolve(o.faceParserModel())) : null;
            return new FaceMasker(types, o.faceMaskBlur(), padding.stream().mapToInt(Integer::intValue).toArray(), o.faceMaskAreas(),
                    o.faceMaskRegions(), occlusion, region);
        } catch (RuntimeException e) {
            if (occlusion != null) {
                occlusion.close();
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T open(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeAll(List<AutoCloseable> opened, RuntimeException failure) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }
}
