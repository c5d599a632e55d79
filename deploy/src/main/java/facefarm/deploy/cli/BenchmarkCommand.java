package facefarm.deploy.cli;

import facefarm.common.jobs.OptionRules;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.provenance.FrameFinish;
import facefarm.common.provenance.VisibleLabel;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Landmarker68;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.masks.FaceMasker;
import facefarm.worker.media.FrameReader;
import facefarm.worker.processors.EnhancerModel;
import facefarm.worker.processors.FaceEnhancer;
import facefarm.worker.processors.FaceSwapper;
import facefarm.worker.processors.FrameProcessor;
import facefarm.worker.processors.InswapperEmbedding;
import facefarm.worker.processors.MeshSwapper;
import facefarm.worker.processors.ProcessorContext;
import facefarm.worker.processors.ProcessorRegistry;
import facefarm.worker.processors.ProcessorSettings;
import facefarm.worker.processors.SwapperModel;
import facefarm.worker.provenance.FrameFinisher;
import facefarm.worker.provenance.WatermarkReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * ./farm benchmark: frames per second of each analysis model on this machine, one frame (or face) per run and in
 * batches of {@link FaceAnalyser#MAX_BATCH}. Models are those installed (and licensed); test models found on the model
 * path under their published names are measured too, labelled as such.
 */
final class BenchmarkCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final ModelStore models;
    private final List<Path> searchPath;

    BenchmarkCommand(PrintStream out, PrintStream err, ModelStore models, List<Path> searchPath) {
        this.out = out;
        this.err = err;
        this.models = models;
        this.searchPath = searchPath;
    }

    /** @param source a face image: when given, the swap processors are measured too */
    void run(Path input, int frameCount, Path source) {
        List<Mat> frames = new ArrayList<>();
        try (FrameReader reader = new FrameReader(input, new FrameRange(0, frameCount), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame frame; (frame = reader.next()) != null; ) {
                frames.add(frame.image());
            }
        }
        try {
            List<Face> faces = new ArrayList<>();
            List<Mat> faceFrames = new ArrayList<>();
            try (FaceAnalyser analyser = FaceAnalyser.withDefaultDetector(models)) {
                List<List<Face>> found = analyser.analyse(frames);
                for (int i = 0; i < frames.size(); i++) {
                    if (!found.get(i).isEmpty()) {
                        faces.add(found.get(i).get(0));
                        faceFrames.add(frames.get(i));
                    }
                }
            }
            err.println("farm: benchmark on " + frames.size() + " frames of " + input.getFileName() + " (" + frames.get(0).cols() + "x"
                    + frames.get(0).rows() + ", " + faces.size() + " with a face), " + OrtRuntime.device() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; figures are the best of 3 runs");
            out.printf(Locale.ROOT, "%-12s %-44s %-9s %12s %12s %7s%n", "stage", "model", "batch", "one/run f/s", "batched f/s", "ratio");
            detectors(frames);
            landmarkers(faceFrames, faces);
            recognisers(faceFrames, faces);
            if (source != null) {
                swaps(faceFrames, faces, source);
            }
            finishes(frames);
        } finally {
            frames.forEach(Mat::close);
        }
    }

    private void detectors(List<Mat> frames) {
        List<Object[]> candidates = new ArrayList<>();
        candidates.add(new Object[] {DetectorModel.YUNET, models.resolve(DetectorModel.YUNET.modelId()), "yunet_2023_mar"});
        if (models.licenseAccepted(DetectorModel.SCRFD.modelId())) {
            for (String file : List.of("scrfd_2.5g_bnkps.onnx", "scrfd_500m_bnkps.onnx")) {
                Path found = onPath(file);
                if (found != null) {
                    candidates.add(new Object[] {DetectorModel.SCRFD, found, file.replace(".onnx", "")});
                }
            }
        } else {
            err.println("farm: scrfd not measured: its licence is not accepted (--accept-license scrfd_2.5g)");
        }
        for (Object[] c : candidates) {
            DetectorModel model = (DetectorModel) c[0];
            try (OnnxFaceDetector detector = new OnnxFaceDetector(model, (Path) c[1], 640); OnnxModel probe = new OnnxModel("probe", (Path) c[1])) {
                row("detector", c[2] + " @640", probe.acceptsBatch(), frames.size(),
                        i -> detector.candidates(frames.get(i), 0.5f),
                        from -> detector.candidates(frames.subList(from, Math.min(frames.size(), from + FaceAnalyser.MAX_BATCH)), 0.5f));
            }
        }
    }

    private void landmarkers(List<Mat> frames, List<Face> faces) {
        List<Landmarker68.Request> requests = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            requests.add(new Landmarker68.Request(frames.get(i), faces.get(i).box(), 0));
        }
        for (Landmarker68.Model model : Landmarker68.Model.values()) {
            if (!models.installed(model.modelId())) {
                err.println("farm: " + model.modelId() + " not installed: not measured");
                continue;
            }
            try (Landmarker68 landmarker = new Landmarker68(model, models.resolve(model.modelId()));
                 OnnxModel probe = new OnnxModel("probe", models.resolve(model.modelId()))) {
                row("landmarker", model.modelId(), probe.acceptsBatch(), faces.size(), i -> landmarker.run(List.of(requests.get(i))),
                        from -> landmarker.run(requests.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH))));
            }
        }
        if (models.installed(FaceMesh468.MODEL_ID)) {
            try (FaceMesh468 mesh = new FaceMesh468(models.resolve(FaceMesh468.MODEL_ID));
                 OnnxModel probe = new OnnxModel("probe", models.resolve(FaceMesh468.MODEL_ID))) {
                row("landmarker", "face_landmark_468 (MediaPipe)", probe.acceptsBatch(), faces.size(), i -> mesh.run(frames.get(i), faces.get(i)),
                        from -> mesh.run(frames.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH)),
                                faces.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH))));
            }
        }
        Path pfld = onPath("pfld_68pt_cunjian.onnx");
        if (pfld != null) {
            // not a FaceFusion model: a real 68-point network that takes a batch, to show what batching buys a landmarker
            List<float[]> crops = new ArrayList<>();
            for (int i = 0; i < faces.size(); i++) {
                crops.add(crop112(frames.get(i), faces.get(i)));
            }
            try (OnnxModel model = new OnnxModel("pfld", pfld)) {
                row("landmarker", "pfld_68pt (test model, not FaceFusion's)", model.acceptsBatch(), faces.size(),
                        i -> model.run(crops.get(i), 1, 3, 112, 112),
                        from -> model.runEach(crops.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH)), FaceAnalyser.MAX_BATCH, 1, 3, 112, 112));
            }
        }
    }

    private void recognisers(List<Mat> frames, List<Face> faces) {
        Path file = null;
        String label = null;
        if (models.installed(FaceRecognizer.ARCFACE)) {
            file = models.resolve(FaceRecognizer.ARCFACE);
            label = FaceRecognizer.ARCFACE;
        } else if (onPath("mobilefacenet_pixamatch.onnx") != null) {
            file = onPath("mobilefacenet_pixamatch.onnx");
            label = "mobilefacenet (test model, arcface contract)";
        }
        if (file == null) {
            err.println("farm: no recogniser installed: not measured");
            return;
        }
        try (FaceRecognizer recognizer = new FaceRecognizer(label, file); OnnxModel probe = new OnnxModel("probe", file)) {
            row("recogniser", label, probe.acceptsBatch(), faces.size(), i -> recognizer.embed(frames.get(i), faces.get(i)),
                    from -> recognizer.embed(frames.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH)),
                            faces.subList(from, Math.min(faces.size(), from + FaceAnalyser.MAX_BATCH))));
        }
    }

    /**
     * Frames per second of each swap processor on one worker, one face per frame: the open mesh swapper, and every
     * FaceFusion swapper and enhancer contract run through a graph of its shape that returns its crop (so the figure
     * is the farm's own cost per face: crop, normalisation, masks, paste-back; the model's time comes on top), and
     * the real swapper and enhancer weights where they are installed.
     */
    private void swaps(List<Mat> frames, List<Face> faces, Path sourceFile) {
        if (faces.isEmpty()) {
            err.println("farm: no face in the input: swap processors not measured");
            return;
        }
        out.printf(Locale.ROOT, "%n%-12s %-58s %12s%n", "stage", "processor", "frames/s");
        try (Mat image = org.bytedeco.opencv.global.opencv_imgcodecs.imread(sourceFile.toString());
             FaceAnalyser analyser = FaceAnalyser.withDefaultDetector(models)) {
            if (image == null || image.empty()) {
                throw new IllegalArgumentException("--source " + sourceFile + " is not an image");
            }
            List<Face> found = analyser.analyse(image);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no face in --source " + sourceFile);
            }
            Face sourceFace = found.get(0);
            List<ProcessorContext.SourceFace> sources = List.of(new ProcessorContext.SourceFace(image, sourceFace));
            for (String blend : OptionRules.MESH_BLENDS) {
                ProcessorOptions options = ProcessorSettings.resolve(List.of(MeshSwapper.NAME), new ProcessorOptions(null, null, null, null, null, null, null,
                        null, null, null, null, null, null, blend), models).options();
                try (FrameProcessor mesh = ProcessorRegistry.create(MeshSwapper.NAME, new ProcessorContext(models, options, sources))) {
                    swapRow("mesh_swapper " + blend, mesh, frames, faces);
                }
            }
            Path graphs = java.nio.file.Files.createTempDirectory("farm-benchmark");
            try {
                Face embedded = sourceFace.withEmbedding(new float[512], new float[512]);
                embedded.embedding()[0] = 1;
                List<Object[]> runs = new ArrayList<>();
                for (SwapperModel model : SwapperModel.values()) {
                    runs.add(new Object[] {model, model.size()});
                }
                // pixel boost: 16 model runs and the re-interleave per face
                runs.add(new Object[] {SwapperModel.INSWAPPER_128, 512});
                for (Object[] run : runs) {
                    SwapperModel model = (SwapperModel) run[0];
                    int boost = (int) run[1];
                    try (FaceSwapper swapper = new FaceSwapper(model, new OnnxModel(model.id(), identitySwapper(model, graphs)),
                            model.converter() == null ? null : new OnnxModel("crossface", identityConverter(graphs)),
                            model.source() == SwapperModel.Source.INSWAPPER ? new InswapperEmbedding(identityMap(), 512) : null, null, boxMasker(),
                            boost, FaceSwapper.DEFAULT_WEIGHT, embedded, image)) {
                        swapRow("face_swapper " + model.id() + " @" + boost + " (contract graph)", swapper, frames, faces);
                    }
                }
                for (EnhancerModel model : EnhancerModel.values()) {
                    try (FaceEnhancer enhancer = new FaceEnhancer(model, new OnnxModel(model.id(), identityEnhancer(model, graphs)), boxMasker(),
                            FaceEnhancer.DEFAULT_BLEND, FaceEnhancer.DEFAULT_WEIGHT)) {
                        swapRow("face_enhancer " + model.id() + " (contract graph)", enhancer, frames, faces);
                    }
                }
            } finally {
                try (var files = java.nio.file.Files.walk(graphs)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            for (SwapperModel model : SwapperModel.values()) {
                if (models.installed(model.id())) {
                    realRow(FaceSwapper.NAME, ProcessorSettings.resolve(List.of(FaceSwapper.NAME), new ProcessorOptions(model.id(), null, null, null, null,
                            null, null, null, null, null, null, null, null, null), models).options(), sources, frames, faces, model.id());
                }
            }
            for (EnhancerModel model : EnhancerModel.values()) {
                if (models.installed(model.id())) {
                    realRow(FaceEnhancer.NAME, ProcessorSettings.resolve(List.of(FaceEnhancer.NAME), new ProcessorOptions(null, null, null, model.id(), null,
                            null, null, null, null, null, null, null, null, null), models).options(), sources, frames, faces, model.id());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the benchmark's contract graphs", e);
        }
    }

    private void realRow(String processor, ProcessorOptions options, List<ProcessorContext.SourceFace> sources, List<Mat> frames, List<Face> faces,
                         String model) {
        try (FrameProcessor real = ProcessorRegistry.create(processor, new ProcessorContext(models, options, sources))) {
            swapRow(processor + " " + model + " (installed weights)", real, frames, faces);
        } catch (RuntimeException e) {
            err.println("farm: " + model + " not measured: " + e.getMessage());
        }
    }

    private static FaceMasker boxMasker() {
        return new FaceMasker(List.of("box"), ProcessorSettings.DEFAULT_MASK_BLUR, new int[4], List.of(), List.of(), null, null);
    }

    private static float[] identityMap() {
        float[] map = new float[512 * 512];
        for (int i = 0; i < 512; i++) {
            map[i * 512 + i] = 1;
        }
        return map;
    }

    private static Path identitySwapper(SwapperModel model, Path dir) {
        long[] source = switch (model.source()) {
            case IMAGE_ARCFACE_112 -> new long[] {1, 3, 112, 112};
            case IMAGE_FFHQ_256 -> new long[] {1, 3, 256, 256};
            default -> new long[] {1, 512};
        };
        int s = model.size();
        return new OnnxGraph().input("source", OnnxGraph.FLOAT, source).input("target", OnnxGraph.FLOAT, 1, 3, s, s)
                .output("output", OnnxGraph.FLOAT, 1, 3, s, s).identity("target", "output").write(dir.resolve(model.id() + ".onnx"));
    }

    private static Path identityConverter(Path dir) {
        return new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 512).output("output", OnnxGraph.FLOAT, 1, 512).identity("input", "output")
                .write(dir.resolve("crossface.onnx"));
    }

    private static Path identityEnhancer(EnhancerModel model, Path dir) {
        int s = model.size();
        OnnxGraph graph = new OnnxGraph().input("input", OnnxGraph.FLOAT, 1, 3, s, s).output("output", OnnxGraph.FLOAT, 1, 3, s, s).identity("input", "output");
        if (model == EnhancerModel.CODEFORMER) {
            graph.input("weight", OnnxGraph.DOUBLE, 1).output("weight_seen", OnnxGraph.DOUBLE, 1).identity("weight", "weight_seen");
        }
        return graph.write(dir.resolve(model.id() + ".onnx"));
    }

    /** Frames per second of one processor over copies of the frames (best of 3). */
    private void swapRow(String label, FrameProcessor processor, List<Mat> frames, List<Face> faces) {
        List<Mat> copies = new ArrayList<>(frames.size());
        try {
            frames.forEach(f -> copies.add(f.clone()));
            processor.process(0, copies.get(0), List.of(faces.get(0)));
            double seconds = best(() -> {
                for (int i = 0; i < copies.size(); i++) {
                    processor.process(i, copies.get(i), List.of(faces.get(i)));
                }
            });
            out.printf(Locale.ROOT, "%-12s %-58s %12.1f%n", "swap", label, copies.size() / seconds);
        } finally {
            copies.forEach(Mat::close);
        }
    }

    /** Frames per second of the output finish (watermark, label) on copies of the frames, and of reading the mark back. */
    private void finishes(List<Mat> frames) {
        out.printf(Locale.ROOT, "%n%-12s %-58s %12s%n", "stage", "finish", "frames/s");
        WatermarkPayload payload = WatermarkPayload.of("benchmark", java.util.UUID.nameUUIDFromBytes(new byte[0]));
        int width = frames.get(0).cols();
        int height = frames.get(0).rows();
        List<Mat> copies = new ArrayList<>(frames.size());
        try (FrameFinisher marking = new FrameFinisher(new FrameFinish(0, null, payload), width, height);
             FrameFinisher labelling = new FrameFinisher(new FrameFinish(0, new VisibleLabel("AI-generated", null, null), null), width, height)) {
            frames.forEach(f -> copies.add(f.clone()));
            out.printf(Locale.ROOT, "%-12s %-58s %12.1f%n", "finish", "invisible watermark (DWT-DCT, 96-bit word)",
                    copies.size() / best(() -> copies.forEach(marking::finish)));
            out.printf(Locale.ROOT, "%-12s %-58s %12.1f%n", "finish", "visible label", copies.size() / best(() -> copies.forEach(labelling::finish)));
            out.printf(Locale.ROOT, "%-12s %-58s %12.1f%n", "provenance", "watermark read, whole frame (./farm provenance)", copies.size() / best(() -> {
                WatermarkReader reader = new WatermarkReader();
                copies.forEach(reader::add);
                reader.read();
            }));
        } finally {
            copies.forEach(Mat::close);
        }
    }

    private static float[] crop112(Mat frame, Face face) {
        try (Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.landmark5(), WarpTemplate.ARCFACE_112_V2, 112), 112)) {
            return FaceWarp.planes(crop, true, v -> v / 255f);
        }
    }

    /** Times {@code items} single runs and the same items in batches; prints items per second for both. */
    private void row(String stage, String model, boolean batches, int items, IntConsumer one, IntConsumer batch) {
        if (items == 0) {
            return;
        }
        one.accept(0);
        batch.accept(0);
        double single = best(() -> {
            for (int i = 0; i < items; i++) {
                one.accept(i);
            }
        });
        String configured = System.getProperty("farm.batch");
        System.setProperty("farm.batch", Integer.toString(FaceAnalyser.MAX_BATCH));
        double batched;
        try {
            batched = best(() -> {
                for (int from = 0; from < items; from += FaceAnalyser.MAX_BATCH) {
                    batch.accept(from);
                }
            });
        } finally {
            if (configured == null) {
                System.clearProperty("farm.batch");
            } else {
                System.setProperty("farm.batch", configured);
            }
        }
        out.printf(Locale.ROOT, "%-12s %-44s %-9s %12.1f %12.1f %6.2fx%n", stage, model, batches ? "N" : "1 only", items / single, items / batched,
                single / batched);
    }

    private static double best(Runnable work) {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private Path onPath(String file) {
        for (Path folder : searchPath) {
            Path candidate = folder.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
