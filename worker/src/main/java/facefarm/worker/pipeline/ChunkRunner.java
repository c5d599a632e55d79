package facefarm.worker.pipeline;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.jobs.StageTimings;
import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Overlap;
import facefarm.models.ModelStore;
import facefarm.storage.ObjectStore;
import facefarm.worker.WorkerConfig;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.analysis.MeshUse;
import facefarm.worker.audio.AudioTrack;
import facefarm.worker.audio.MelWindows;
import facefarm.worker.audio.VoiceExtractor;
import facefarm.worker.media.ChunkEncoder;
import facefarm.worker.media.HeldFrames;
import facefarm.worker.processors.FrameProcessor;
import facefarm.worker.processors.ProcessorContext;
import facefarm.worker.processors.ProcessorRegistry;
import facefarm.worker.processors.ProcessorSettings;
import facefarm.worker.provenance.FrameFinisher;
import facefarm.worker.tracking.TrackSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs one chunk attempt end to end: read the chunk's range of the target exactly (byte ranges through a presigned
 * URL, from its keyframe), run the pipeline, encode the owned frames once in the delivery codec, upload to the
 * attempt's key, and report. Never throws: a failure
 * becomes a FAILED event with the reason.
 */
public final class ChunkRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChunkRunner.class.getName());
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;
    /** The sources and audio of this many jobs stay cached on the worker's disk (targets are never downloaded). */

    private final String workerId;
    private final ObjectStore store;
    private final ModelStore models;
    private final Path workDir;
    private final int batchFrames;
    private final InputCache inputs;
    /** The analysis of the last job's options, kept while offers of the same job (or options) keep coming. */
    private AnalysisKey analysisKey;
    private FaceAnalyser analyser;
    /** The last job's processors (their models are the heavy part), kept while its offers keep coming. */
    private ChainKey chainKey;
    private List<FrameProcessor> chain = List.of();

    private record AnalysisKey(AnalysisOptions options, MeshUse mesh) {
    }

    private record ChainKey(String jobId, List<String> processors, ProcessorOptions options, AnalysisOptions analysis) {
    }

    /** @param cacheBytes the disk the cache of the jobs' source images and audio may take */
    public ChunkRunner(String workerId, ObjectStore store, ModelStore models, Path workDir, int batchFrames, long cacheBytes) {
        this.inputs = new InputCache(workDir.resolve("jobs"), cacheBytes);
        this.workerId = workerId;
        this.store = store;
        this.models = models;
        this.workDir = workDir;
        this.batchFrames = batchFrames;
    }

    /**
     * Manifest ids of the models loaded now, for heartbeats. Read without the runner's lock: building a job's chain
     * holds it while source images come from S3 (an outage is waited out for up to a minute) and models load, and a
     * heartbeat that waited for it would let the coordinator time out a live worker's attempt (ChaosTest saw it).
     */
    public List<String> modelsLoaded() {
        return modelsLoaded;
    }

    private volatile List<String> modelsLoaded = List.of();

    /** Called with the lock held whenever the analyser or the chain changes. */
    private void noteModels() {
        List<String> ids = new ArrayList<>(analyser == null ? List.of() : analyser.modelsLoaded());
        if (chainKey != null) {
            ids.addAll(ProcessorSettings.modelIds(new ProcessorSettings.Resolved(chainKey.processors(), chainKey.options())));
        }
        modelsLoaded = ids.stream().distinct().toList();
    }

    private synchronized FaceAnalyser analyser(AnalysisOptions resolved, List<String> processors) {
        AnalysisKey key = new AnalysisKey(resolved, ProcessorRegistry.meshUse(processors, AnalysisSettings.has68Landmarks(resolved)));
        if (analyser == null || !key.equals(analysisKey)) {
            close();
            analyser = FaceAnalyser.create(resolved, models, resolved.needsIdentity(), key.mesh());
            analysisKey = key;
            noteModels();
        }
        return analyser;
    }

    /** The job's processors, built on its source faces (analysed like its target) the first time one of its chunks comes. */
    private synchronized List<FrameProcessor> chain(ChunkOffer offer, AnalysisOptions analysis, FaceAnalyser faceAnalyser) throws IOException {
        // options from the coordinator are resolved already; resolving again only fills what an older one left out
        ProcessorOptions options = ProcessorSettings.resolve(offer.processors(), offer.processorOptions(), models).options();
        ChainKey key = new ChainKey(offer.jobId(), offer.processors(), options, analysis);
        if (!key.equals(chainKey)) {
            closeChain();
            List<ProcessorContext.SourceFace> sources = new ArrayList<>();
            try {
                for (String sourceKey : offer.sourceKeys()) {
                    Path file = fetch(offer.jobId(), sourceKey);
                    Mat image = opencv_imgcodecs.imread(file.toString());
                    if (image == null || image.empty()) {
                        throw new IllegalArgumentException("source " + sourceKey + " is not an image the worker can read");
                    }
                    List<Face> faces = faceAnalyser.analyse(image);
                    if (faces.isEmpty()) {
                        image.close();
                        continue;
                    }
                    sources.add(new ProcessorContext.SourceFace(image, faces.get(0)));
                }
                chain = ProcessorRegistry.createAll(offer.processors(), new ProcessorContext(models, options, sources, voice(offer, options)));
                chainKey = key;
                noteModels();
            } finally {
                sources.forEach(source -> source.image().close());
            }
        }
        return chain;
    }

    /**
     * The mel windows of the job's audio, when its chain hears it: the whole track, decoded and peak-normalised once per
     * job, so every chunk indexes the same spectrogram by absolute frame. With a voice extractor chosen, the voice
     * alone.
     */
    private MelWindows voice(ChunkOffer offer, ProcessorOptions options) throws IOException {
        if (offer.audioKey() == null || !ProcessorRegistry.needsAudio(offer.processors())) {
            return null;
        }
        Path audio = fetch(offer.jobId(), offer.audioKey());
        String extractor = options.voiceExtractorModel();
        AudioTrack track;
        if (extractor.equals(ProcessorSettings.NO_VOICE_EXTRACTOR)) {
            track = AudioTrack.read(audio);
        } else {
            try (VoiceExtractor voice = new VoiceExtractor(extractor, models.resolve(extractor))) {
                track = AudioTrack.readVoice(audio, voice);
            }
        }
        return MelWindows.of(track, offer.fpsNumerator(), offer.fpsDenominator());
    }

    private void closeChain() {
        chain.forEach(FrameProcessor::close);
        chain = List.of();
        chainKey = null;
        noteModels();
    }

    @Override
    public synchronized void close() {
        closeChain();
        if (analyser != null) {
            analyser.close();
            analyser = null;
            analysisKey = null;
            noteModels();
        }
    }

    /** Progress of the attempt in flight, for heartbeats. */
    public volatile long framesDone;

    public ChunkEvent run(ChunkOffer offer, Consumer<ChunkEvent> events) {
        return run(offer, events, Stops.NEVER);
    }

    /** Thrown out of the frame loop when the attempt is no longer wanted, to stop it at once. */
    private static final class NotWanted extends RuntimeException {
        NotWanted() {
            super("the attempt is no longer wanted", null, false, false);
        }
    }

    /** Thrown out of the frame loop when the worker is stopping, to hand the attempt back at once. */
    private static final class HandedBack extends RuntimeException {
        HandedBack() {
            super("the worker is stopping", null, false, false);
        }
    }

    /** What may stop an attempt before its end: the fences ({@code wanted}) and the worker's shutdown ({@code stopping}). */
    public record Stops(java.util.function.BooleanSupplier wanted, java.util.function.BooleanSupplier stopping) {
        public static final Stops NEVER = new Stops(() -> true, () -> false);
    }

    /**
     * @param stops asked as the frames go by: once the attempt is not wanted (the job ended, or a newer attempt
     *     superseded this one) it stops and its work is dropped; once the worker is stopping, it is handed back
     */
    /** The dashboard's preview: a preview that cannot be written costs the chunk nothing. */
    private void keepPreview(ChunkOffer offer, byte[] jpeg) {
        if (jpeg == null) {
            return;
        }
        try {
            store.put(offer.previewKey(), jpeg, "image/jpeg");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker={0} job={1} chunk={2}: its preview was not kept: {3}", workerId, offer.jobId(), offer.chunkIndex(), e.getMessage());
        }
    }

    public ChunkEvent run(ChunkOffer offer, Consumer<ChunkEvent> events, Stops stops) {
        long owned = offer.owned().length();
        framesDone = 0;
        events.accept(event(offer, ChunkEvent.Kind.STARTED, 0, 0, null, StageTimings.ZERO, null));
        long started = System.nanoTime();
        long transferNanos = 0;
        Path output = workDir.resolve("chunks").resolve(offer.jobId() + "-" + offer.chunkIndex() + "-" + offer.attemptId() + ".mkv");
        try {
            // the target is read in byte ranges from its keyframe on, through a presigned URL: never downloaded whole
            String target = store.presignedGet(offer.targetKey(), WorkerConfig.READ_URL_LIFETIME);
            // options from the coordinator are resolved already; resolving again only fills what an older one left out
            AnalysisOptions analysis = AnalysisSettings.resolve(offer.analysis(), models);
            FaceAnalyser faceAnalyser = analyser(analysis, offer.processors());
            FaceSelector selector = FaceSelector.of(analysis, offer.referenceEmbedding());
            List<FrameProcessor> processors = chain(offer, analysis, faceAnalyser);
            Overlap own = ProcessorRegistry.overlap(offer.processors());
            FrameRange processed = new FrameRange(Math.max(offer.decoded().start(), offer.owned().start() - own.past()),
                    Math.min(offer.decoded().end(), offer.owned().end() + own.future()));
            Files.createDirectories(output.getParent());
            ChunkPipeline.Timings timings = new ChunkPipeline.Timings();
            long emitted;
            long bytesRead;
            long[] lastReport = {System.nanoTime()};
            byte[][] preview = {null};
            try (HeldFrames reader = new HeldFrames(target, offer.decoded(), offer.seek(), offer.targetFrames());
                 FrameFinisher finisher = new FrameFinisher(offer.finish(), offer.width(), offer.height());
                 ChunkEncoder writer = new ChunkEncoder(output, finisher.width(), finisher.height(), offer.fpsNumerator(), offer.fpsDenominator(),
                         offer.encoding())) {
                emitted = new ChunkPipeline(faceAnalyser, selector, TrackSettings.of(analysis.smoothingWindow()), processors, batchFrames)
                        .run(reader::next, processed, offer.owned(), (index, frame) -> {
                            Mat finished = finisher.finish(frame);
                            writer.write(finished);
                            if (index == offer.owned().end() - 1 && offer.previewKey() != null) {
                                preview[0] = ChunkPreview.jpeg(finished);
                            }
                        }, done -> {
                    framesDone = done;
                    if (stops.stopping().getAsBoolean()) {
                        throw new HandedBack();
                    }
                    if (!stops.wanted().getAsBoolean()) {
                        throw new NotWanted();
                    }
                    long now = System.nanoTime();
                    if (now - lastReport[0] >= PROGRESS_EVERY_NANOS) {
                        lastReport[0] = now;
                        events.accept(event(offer, ChunkEvent.Kind.PROGRESS, done, rate(done, now - started), null, StageTimings.ZERO, null));
                    }
                }, timings);
                long t1 = System.nanoTime();
                writer.finish();
                timings.sinkNanos += System.nanoTime() - t1;
                bytesRead = reader.bytesRead();
            }
            if (emitted != owned) {
                throw new IllegalStateException("decoded only " + emitted + " of the " + owned + " frames in " + offer.owned()
                        + "; the video has fewer frames than ingest counted");
            }
            long t2 = System.nanoTime();
            store.upload(output, offer.outputKey());
            keepPreview(offer, preview[0]);
            transferNanos += System.nanoTime() - t2;
            StageTimings stages = new StageTimings(0, ms(timings.decodeNanos), ms(timings.processNanos), ms(timings.sinkNanos), ms(transferNanos), 0);
            double fps = rate(emitted, System.nanoTime() - started);
            LOG.log(Level.INFO, "worker={0} job={1} chunk={2} attempt={3} frames={4} fps={5} read={6} bytes", workerId, offer.jobId(), offer.chunkIndex(),
                    offer.attemptId(), emitted, String.format(java.util.Locale.ROOT, "%.1f", fps), bytesRead);
            return new ChunkEvent(ChunkEvent.Kind.COMPLETED, offer.jobId(), offer.chunkIndex(), offer.attemptId(), workerId, emitted, owned, fps,
                    offer.outputKey(), stages, null, bytesRead);
        } catch (NotWanted e) {
            LOG.log(Level.INFO, "worker={0} job={1} chunk={2} attempt={3} stopped after {4} frames: no longer wanted", workerId, offer.jobId(),
                    offer.chunkIndex(), offer.attemptNumber(), framesDone);
            return event(offer, ChunkEvent.Kind.FAILED, framesDone, 0, null, StageTimings.ZERO, "stopped by worker " + workerId
                    + ": the attempt is no longer wanted (its job ended, or a newer attempt superseded it)");
        } catch (HandedBack e) {
            LOG.log(Level.INFO, "worker={0} job={1} chunk={2} attempt={3} handed back after {4} frames: the worker is stopping", workerId,
                    offer.jobId(), offer.chunkIndex(), offer.attemptNumber(), framesDone);
            return event(offer, ChunkEvent.Kind.RELEASED, framesDone, 0, null, StageTimings.ZERO, "worker " + workerId + " is stopping");
        } catch (RuntimeException | IOException | LinkageError e) {
            LOG.log(Level.WARNING, "worker=" + workerId + " job=" + offer.jobId() + " chunk=" + offer.chunkIndex() + " failed", e);
            return event(offer, ChunkEvent.Kind.FAILED, framesDone, 0, null, StageTimings.ZERO, describe(e));
        } catch (OutOfMemoryError e) {
            // the chunk's frames are dropped with this frame, so the worker can report and take the next offer
            String why = "out of memory on worker " + workerId + " (heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB): give the worker more memory (-Xmx), or lower FARM_BATCH or the job's chunkFrames";
            LOG.log(Level.ERROR, "worker=" + workerId + " job=" + offer.jobId() + " chunk=" + offer.chunkIndex() + " " + why, e);
            return event(offer, ChunkEvent.Kind.FAILED, framesDone, 0, null, StageTimings.ZERO, why);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot delete " + output, e);
            }
        }
    }

    /** An input of the job, from the worker's disk cache or downloaded into it. */
    private Path fetch(String jobId, String key) throws IOException {
        return inputs.fetch(store, jobId, key);
    }

    private ChunkEvent event(ChunkOffer offer, ChunkEvent.Kind kind, long done, double fps, String key, StageTimings timings, String error) {
        return new ChunkEvent(kind, offer.jobId(), offer.chunkIndex(), offer.attemptId(), workerId, done, offer.owned().length(), fps, key, timings, error);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }

    private static double rate(long frames, long nanos) {
        return nanos <= 0 ? 0 : frames * 1e9 / nanos;
    }

    /** The whole cause chain in one line, so the coordinator and the studio see the root cause. */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(": caused by ");
            }
            text.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
