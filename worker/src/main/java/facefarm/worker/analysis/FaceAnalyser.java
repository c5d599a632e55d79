package facefarm.worker.analysis;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.models.ModelStore;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Analysis that runs once per frame and is shared by every processor, as FaceFusion's face creator does it: detect
 * (box, score, 5 points), estimate 68 points from the 5 (fan_68_5), run the 68-point landmarker on a crop turned
 * upright, choose the 5 alignment points ('5/68': from the 68 when the landmark score is above the threshold, else
 * the detector's), embed the identity when asked, and run FaceMesh's 468 points when a processor works on them. Crops of all faces of all frames given together go through
 * each model in batches (OrtRuntime.batchSize()) where the model accepts a batch. Faces come in the job's selector order.
 */
public final class FaceAnalyser implements AutoCloseable {
    /** FaceFusion's default --face-detector-score. */
    public static final float DEFAULT_SCORE = 0.5f;
    /** The batch ./farm benchmark compares with single runs; the farm's own batch is {@link facefarm.worker.inference.OrtRuntime#batchSize()}. */
    public static final int MAX_BATCH = 8;

    private final FaceDetection detection;
    private final Fan68From5 fan68From5;
    private final List<Landmarker68> landmarkers;
    private final float landmarkerScore;
    private final FaceRecognizer recognizer;
    private final FaceSelector.Order order;
    private final FaceMesh468 mesh;
    private final boolean meshReadings;

    public FaceAnalyser(FaceDetection detection, Fan68From5 fan68From5, List<Landmarker68> landmarkers, float landmarkerScore,
                        FaceRecognizer recognizer, FaceSelector.Order order) {
        this(detection, fan68From5, landmarkers, landmarkerScore, recognizer, order, null, false);
    }

    /**
     * @param fan68From5  null when not used
     * @param landmarkers none, one, or 2dfan4 then peppa_wutz (FaceFusion's "many")
     * @param recognizer  null when no embeddings are wanted
     * @param mesh         null when no processor works on the dense mesh
     * @param meshReadings whether each mesh also gets the eyes' opening and the light read along it (the mesh swapper's)
     */
    public FaceAnalyser(FaceDetection detection, Fan68From5 fan68From5, List<Landmarker68> landmarkers, float landmarkerScore,
                        FaceRecognizer recognizer, FaceSelector.Order order, FaceMesh468 mesh, boolean meshReadings) {
        this.mesh = mesh;
        this.meshReadings = meshReadings;
        this.detection = detection;
        this.fan68From5 = fan68From5;
        this.landmarkers = List.copyOf(landmarkers);
        this.landmarkerScore = landmarkerScore;
        this.recognizer = recognizer;
        this.order = order;
    }

    public FaceAnalyser(FaceDetection detection) {
        this(detection, null, List.of(), DEFAULT_SCORE, null, FaceSelector.Order.LARGE_SMALL);
    }

    /** The open default: YuNet at 640, FaceFusion's default score, no margin, one angle, detection only. */
    public static FaceAnalyser withDefaultDetector(ModelStore models) {
        return new FaceAnalyser(FaceDetectors.create("yunet", AnalysisSettings.DEFAULT_SIZE, FaceDetection.Options.DEFAULT, models));
    }

    public static FaceAnalyser create(AnalysisOptions resolved, ModelStore models, boolean embeddings) {
        return create(resolved, models, embeddings, MeshUse.NONE);
    }

    /**
     * The analysis that resolved options describe, with identity embeddings and the dense mesh as asked; loading fails
     * with the model store's error when a model is missing.
     */
    public static FaceAnalyser create(AnalysisOptions resolved, ModelStore models, boolean embeddings, MeshUse meshUse) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            FaceDetection detection = FaceDetectors.create(resolved.faceDetectorModel(), resolved.faceDetectorSize(),
                    new FaceDetection.Options(resolved.faceDetectorScore(), resolved.faceDetectorMargin().stream().mapToInt(Integer::intValue).toArray(),
                            resolved.faceDetectorAngles()), models);
            opened.add(detection);
            Fan68From5 fan = null;
            if (Boolean.TRUE.equals(resolved.fan68From5())) {
                fan = new Fan68From5(models.resolve(Fan68From5.MODEL_ID));
                opened.add(fan);
            }
            List<Landmarker68> landmarkers = new ArrayList<>();
            for (Landmarker68.Model model : AnalysisSettings.landmarkers(resolved)) {
                Landmarker68 landmarker = new Landmarker68(model, models.resolve(model.modelId()));
                opened.add(landmarker);
                landmarkers.add(landmarker);
            }
            FaceRecognizer recognizer = null;
            if (embeddings) {
                recognizer = new FaceRecognizer(FaceRecognizer.ARCFACE, models.resolve(FaceRecognizer.ARCFACE));
                opened.add(recognizer);
            }
            FaceMesh468 mesh = meshUse.any() ? new FaceMesh468(models.resolve(FaceMesh468.MODEL_ID)) : null;
            return new FaceAnalyser(detection, fan, landmarkers, resolved.faceLandmarkerScore(), recognizer,
                    FaceSelector.Order.byName(resolved.faceSelectorOrder()), mesh, meshUse == MeshUse.POINTS_AND_READINGS);
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public List<Face> analyse(Mat frame) {
        return analyse(List.of(frame)).get(0);
    }

    /** The faces of each frame, in the selector order. */
    public List<List<Face>> analyse(List<Mat> frames) {
        List<List<Face>> detected = detection.detect(frames);
        List<Mat> faceFrames = new ArrayList<>();
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            for (Face face : detected.get(i)) {
                faceFrames.add(frames.get(i));
                faces.add(face);
            }
        }
        if (!faces.isEmpty()) {
            faces = landmark(faceFrames, faces);
            if (recognizer != null) {
                faces = recognizer.embed(faceFrames, faces);
            }
            if (mesh != null) {
                List<FaceMesh468.Mesh> meshes = mesh.run(faceFrames, faces);
                List<Face> meshed = new ArrayList<>(faces.size());
                for (int i = 0; i < faces.size(); i++) {
                    List<Point> points = meshes.get(i).points();
                    Mat frame = faceFrames.get(i);
                    meshed.add(faces.get(i).withMesh(meshReadings ? DenseMesh.of(points, EyeOpening.of(frame, points), FaceLight.sample(frame, points))
                            : DenseMesh.of(points, Double.NaN, null)));
                }
                faces = meshed;
            }
        }
        List<List<Face>> byFrame = new ArrayList<>(frames.size());
        int next = 0;
        for (int i = 0; i < frames.size(); i++) {
            int count = detected.get(i).size();
            byFrame.add(FaceSelector.sorted(faces.subList(next, next + count), order));
            next += count;
        }
        return byFrame;
    }

    private List<Face> landmark(List<Mat> frames, List<Face> faces) {
        List<List<Point>> from5 = fan68From5 == null ? null : fan68From5.runAll(faces.stream().map(Face::landmark5).toList());
        List<Landmarker68.Result> best = null;
        if (!landmarkers.isEmpty()) {
            List<Landmarker68.Request> requests = new ArrayList<>(faces.size());
            for (int i = 0; i < faces.size(); i++) {
                Face face = faces.get(i);
                // the crop is turned upright by the face's angle: from the estimated jaw line, else from the eyes
                int angle = from5 != null ? Landmarks.angle(from5.get(i).get(0), from5.get(i).get(16))
                        : Landmarks.angle(face.landmark5().get(0), face.landmark5().get(1));
                requests.add(new Landmarker68.Request(frames.get(i), face.box(), angle));
            }
            best = landmarkers.get(0).run(requests);
            if (landmarkers.size() > 1) {
                List<Landmarker68.Result> peppa = landmarkers.get(1).run(requests);
                List<Landmarker68.Result> chosen = new ArrayList<>(faces.size());
                for (int i = 0; i < faces.size(); i++) {
                    // FaceFusion's "many": 2dfan4 unless its score is at least 0.2 below peppa_wutz's
                    chosen.add(best.get(i).score() > peppa.get(i).score() - 0.2f ? best.get(i) : peppa.get(i));
                }
                best = chosen;
            }
        }
        List<Face> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            Face face = faces.get(i);
            if (best != null) {
                Landmarker68.Result result = best.get(i);
                List<Point> alignment = result.score() > landmarkerScore ? Landmarks.fiveFrom68(result.points()) : face.landmark5();
                out.add(face.withLandmarks(result.points(), result.score(), alignment));
            } else if (from5 != null) {
                out.add(face.withLandmarks(from5.get(i), 0, face.landmark5()));
            } else {
                out.add(face);
            }
        }
        return out;
    }

    /** Manifest ids of the models this analysis runs. */
    public List<String> modelsLoaded() {
        List<String> ids = new ArrayList<>(detection.modelIds());
        if (fan68From5 != null) {
            ids.add(Fan68From5.MODEL_ID);
        }
        landmarkers.forEach(l -> ids.add(l.model().modelId()));
        if (recognizer != null) {
            ids.add(recognizer.modelId());
        }
        if (mesh != null) {
            ids.add(FaceMesh468.MODEL_ID);
        }
        return ids;
    }

    @Override
    public void close() {
        detection.close();
        if (fan68From5 != null) {
            fan68From5.close();
        }
        landmarkers.forEach(Landmarker68::close);
        if (recognizer != null) {
            recognizer.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }
}
