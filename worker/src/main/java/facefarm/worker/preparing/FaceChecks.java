package facefarm.worker.preparing;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.FaceMapping;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.ModelUse;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.planning.ChunkPlanner;
import facefarm.common.planning.FrameRange;
import facefarm.models.LicenseNotAcceptedException;
import facefarm.models.ModelNotFoundException;
import facefarm.models.ModelSpec;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.ImageHeader;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.processors.LipSyncer;
import facefarm.worker.processors.ProcessorRegistry;
import facefarm.worker.processors.ProcessorSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face checks of a job, run with the job's own analysis on the worker that prepares it (its models, its
 * licences): the options are resolved and their models loaded, every source image must show a face, and in reference
 * mode the reference face is found once in the target, so its embedding can go with every chunk.
 */
final class FaceChecks {
    private final ModelStore models;

    FaceChecks(ModelStore models) {
        this.models = models;
    }

    /** A source image on this worker's disk and the name the studio gave it. */
    record Source(Path file, String name) {
    }

    /** The job's resolved processor chain and how it analyses and processes faces. */
    record Prepared(List<String> processors, JobAnalysis analysis) {
    }

    /**
     * @param processors the job's chain, or null for the best installed one (with new audio: lip sync, after the best
     *                   swap chain when the job has source faces)
     * @param target     the target (a path or a presigned URL), for the reference frame
     */
    Prepared prepare(AnalysisOptions requested, List<String> processors, ProcessorOptions requestedProcessing, String target, String targetName,
                     VideoInfo video, List<Source> sources, Map<String, Path> referencePhotos, boolean withAudio) {
        try {
            return check(requested, processors, requestedProcessing, target, targetName, video, sources, referencePhotos, withAudio);
        } catch (ModelNotFoundException e) {
            throw new CheckFailed(Failure.MODELS, 424, e.getMessage(), e);
        } catch (LicenseNotAcceptedException e) {
            throw new CheckFailed(Failure.LICENCE, 403, e.getMessage(), e);
        }
    }

    private Prepared check(AnalysisOptions requested, List<String> processors, ProcessorOptions requestedProcessing, String target, String targetName,
                           VideoInfo video, List<Source> sources, Map<String, Path> referencePhotos, boolean withAudio) {
        List<String> chain = processors;
        if (chain == null && withAudio) {
            chain = new ArrayList<>(sources.isEmpty() ? List.of() : ProcessorSettings.resolve(null, requestedProcessing, models).processors());
            chain.add(LipSyncer.NAME);
        }
        ProcessorSettings.Resolved processing = ProcessorSettings.resolve(chain, requestedProcessing, models);
        if (sources.isEmpty() && ProcessorRegistry.needsSourceFace(processing.processors())) {
            throw new CheckFailed(Failure.SOURCES, 400, "at least one 'source' part (a face image) is required: " + processing.processors()
                    + " puts a source face onto the target's (for lip sync alone, give processors [\"lip_syncer\"] and an audio file; to only mark the "
                    + "faces, processors [\"face_debugger\"])");
        }
        if (!withAudio && ProcessorRegistry.needsAudio(processing.processors())) {
            throw new CheckFailed(Failure.AUDIO, 400, "lip_syncer needs the voice to sync to: add an 'audio' part (a WAV, FLAC, MP3 or M4A file)");
        }
        AnalysisOptions options = AnalysisSettings.resolve(requested, models);
        if (options.referenceMode() && options.referenceFrameNumber() >= video.frames()) {
            throw new CheckFailed(Failure.REFERENCE, 400, "reference frame number " + options.referenceFrameNumber() + " is past the end of target '"
                    + targetName + "' (" + video.frames() + " frames, numbered from 0)");
        }
        List<String> processorIds = new ArrayList<>(ProcessorSettings.modelIds(processing));
        if (ProcessorRegistry.meshUse(processing.processors(), AnalysisSettings.has68Landmarks(options)).any() && !processorIds.contains(FaceMesh468.MODEL_ID)) {
            // lip sync picks its 68 points from the mesh when analysis has no 68-point landmarker
            processorIds.add(0, FaceMesh468.MODEL_ID);
        }
        if (options.mapsFaces()) {
            for (FaceMapping m : options.faceMap()) {
                if (m.source() >= sources.size()) {
                    throw new CheckFailed(Failure.SOURCES, 400, "face map entry " + m.label() + " names source " + m.source() + ", but the job has "
                            + sources.size() + " source image(s), numbered from 0");
                }
                if (m.referenceImage() == null && m.referenceFrame() >= video.frames()) {
                    throw new CheckFailed(Failure.REFERENCE, 400, "face map entry " + m.label() + ": frame " + m.referenceFrame()
                            + " is past the end of target '" + targetName + "' (" + video.frames() + " frames, numbered from 0)");
                }
            }
        }
        List<String> ids = new ArrayList<>(AnalysisSettings.modelIds(options, options.needsIdentity()));
        processorIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        float[] reference = null;
        try (FaceAnalyser analyser = FaceAnalyser.create(options, models, options.needsIdentity())) {
            for (Source source : sources) {
                int faces = countFaces(analyser, source);
                if (faces < 0) {
                    throw new CheckFailed(Failure.SOURCES, 400, "source '" + source.name() + "' is not an image the farm can read: upload a PNG or JPEG");
                }
                if (faces == 0) {
                    throw new CheckFailed(Failure.SOURCES, 422, "no face found in source '" + source.name()
                            + "': upload a clear, frontal photo of the face");
                }
            }
            if (options.referenceMode()) {
                reference = referenceEmbedding(analyser, options, target, targetName, video);
            }
            if (options.mapsFaces()) {
                options = options.withFaceMap(mappedIdentities(analyser, options, target, targetName, video, referencePhotos));
            }
            // the processors' weights are only located (and downloaded) here: loading a 500 MB swapper per job costs too much
            processorIds.forEach(models::resolve);
        }
        List<ModelUse> used = ids.stream().map(id -> {
            ModelSpec spec = models.manifest().get(id);
            return new ModelUse(spec.id(), spec.file(), spec.license(), spec.commercialUse());
        }).toList();
        return new Prepared(processing.processors(), new JobAnalysis(options, used, reference, processing.options()));
    }

    /** @return faces found, or -1 when the file is not an image */
    private static int countFaces(FaceAnalyser analyser, Source source) {
        String tooLarge = ImageHeader.tooLarge(source.file(), source.name());
        if (tooLarge != null) {
            throw new CheckFailed(Failure.SOURCES, 413, "source " + tooLarge);
        }
        try (Mat frame = opencv_imgcodecs.imread(source.file().toString())) {
            if (frame == null || frame.empty()) {
                return -1;
            }
            return analyser.analyse(frame).size();
        }
    }

    /** Each mapped person's identity, from the face the studio pointed at. */
    private static List<FaceMapping> mappedIdentities(FaceAnalyser analyser, AnalysisOptions options, String target, String targetName, VideoInfo video,
                                                      Map<String, Path> referencePhotos) {
        List<FaceMapping> out = new ArrayList<>();
        for (FaceMapping m : options.faceMap()) {
            if (m.referenceImage() != null) {
                out.add(m.withEmbedding(photoIdentity(analyser, m, referencePhotos.get(m.referenceImage().key()))));
                continue;
            }
            List<Face> faces = facesAt(analyser, m.referenceFrame(), target, targetName, video);
            List<Face> ordered = FaceSelector.sorted(faces, FaceSelector.Order.byName(options.faceSelectorOrder()));
            if (m.referencePosition() >= ordered.size()) {
                throw new CheckFailed(Failure.REFERENCE, 422, "face map entry " + m.label() + ": frame " + m.referenceFrame() + " of target '" + targetName
                        + "' has " + ordered.size() + " face(s) in " + options.faceSelectorOrder() + " order, numbered from 0: pick a frame where the "
                        + "person is visible, and their position in it (./farm analyse lists the faces of every frame)");
            }
            out.add(m.withEmbedding(ordered.get(m.referencePosition()).embeddingNorm()));
        }
        return out;
    }

    /** The largest face of a reference photo: a portrait of the person, as a studio would send. */
    private static float[] photoIdentity(FaceAnalyser analyser, FaceMapping m, Path photo) {
        String name = m.referenceImage().name();
        String tooLarge = ImageHeader.tooLarge(photo, name);
        if (tooLarge != null) {
            throw new CheckFailed(Failure.REFERENCE, 413, "reference photo " + tooLarge);
        }
        try (Mat image = opencv_imgcodecs.imread(photo.toString())) {
            if (image == null || image.empty()) {
                throw new CheckFailed(Failure.REFERENCE, 400, "reference photo '" + name + "' of face map entry " + m.label()
                        + " is not an image the farm can read: upload a PNG or JPEG");
            }
            Face face = FaceSelector.at(analyser.analyse(image), FaceSelector.Order.LARGE_SMALL, 0);
            if (face == null) {
                throw new CheckFailed(Failure.REFERENCE, 422, "no face found in reference photo '" + name + "' of face map entry " + m.label()
                        + ": upload a clear photo of the person's face");
            }
            return face.embeddingNorm();
        }
    }

    private static List<Face> facesAt(FaceAnalyser analyser, long index, String target, String targetName, VideoInfo video) {
        try (FrameReader reader = new FrameReader(target, new FrameRange(index, index + 1), ChunkPlanner.seekFor(index, video.keyframes()))) {
            FrameReader.IndexedFrame frame = reader.next();
            if (frame == null) {
                throw new CheckFailed(Failure.REFERENCE, 400, "cannot decode frame " + index + " of target '" + targetName + "' for a reference face");
            }
            try (Mat image = frame.image()) {
                return analyser.analyse(image);
            }
        } catch (MediaException e) {
            throw new CheckFailed(Failure.TARGET, 400, "target '" + targetName + "': " + e.getMessage(), e);
        }
    }

    private static float[] referenceEmbedding(FaceAnalyser analyser, AnalysisOptions options, String target, String targetName, VideoInfo video) {
        long index = options.referenceFrameNumber();
        List<Face> faces = facesAt(analyser, index, target, targetName, video);
        Face face = FaceSelector.at(faces, FaceSelector.Order.byName(options.faceSelectorOrder()), options.referenceFacePosition());
        if (face == null) {
            throw new CheckFailed(Failure.REFERENCE, 422, "no face in frame " + index + " of target '" + targetName + "' to use as the reference face: "
                    + "choose a frame where the person is visible (referenceFrameNumber) or select faces with mode 'one' or 'many'");
        }
        return face.embeddingNorm();
    }
}
