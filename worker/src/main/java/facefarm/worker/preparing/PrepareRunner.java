package facefarm.worker.preparing;

import facefarm.common.jobs.FaceMapping;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.PreparedJob;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.planning.ChunkPlan;
import facefarm.common.planning.ChunkPlanner;
import facefarm.common.planning.Overlap;
import facefarm.models.ModelStore;
import facefarm.storage.ObjectStore;
import facefarm.worker.WorkerConfig;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.PacketProbe;
import facefarm.worker.pipeline.ChunkRunner;
import facefarm.worker.pipeline.WorkFolder;
import facefarm.worker.processors.ProcessorRegistry;
import facefarm.worker.tracking.TrackSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A job's prepare task: probe the target from its packets through a presigned URL (no download), copy its audio
 * track out, check the new audio and the source faces, find the reference face, resolve the chain and its models
 * against this worker's, and plan the chunks. Never throws: the outcome is a COMPLETED event with the prepared job,
 * or a FAILED one that says which check refused the job (final) or what broke (tried again).
 */
public final class PrepareRunner {
    private static final System.Logger LOG = System.getLogger(PrepareRunner.class.getName());

    private final String workerId;
    private final ObjectStore store;
    private final ModelStore models;
    private final Path workDir;

    public PrepareRunner(String workerId, ObjectStore store, ModelStore models, Path workDir) {
        this.workerId = workerId;
        this.store = store;
        this.models = models;
        this.workDir = workDir;
    }

    public TaskEvent run(PrepareTask task, Consumer<TaskEvent> events) {
        events.accept(TaskEvent.started(TaskEvent.Task.PREPARE, task.jobId(), task.attemptId(), workerId));
        Path scratch = workDir.resolve("prepare").resolve(task.jobId() + "-" + task.attemptId());
        try {
            Files.createDirectories(scratch);
            PreparedJob prepared = prepare(task, scratch);
            LOG.log(Level.INFO, "worker={0} job={1} prepared: {2} frames, {3} chunks, probe {4} ms", workerId, task.jobId(),
                    prepared.timeline().frames(), prepared.chunks().size(), prepared.probeMs());
            return new TaskEvent(TaskEvent.Kind.COMPLETED, TaskEvent.Task.PREPARE, task.jobId(), task.attemptId(), workerId, prepared, null, null);
        } catch (CheckFailed e) {
            LOG.log(Level.INFO, "worker={0} job={1} refused ({2}): {3}", workerId, task.jobId(), e.failure().check(), e.getMessage());
            return TaskEvent.failed(TaskEvent.Task.PREPARE, task.jobId(), task.attemptId(), workerId, e.failure());
        } catch (RuntimeException | IOException | LinkageError | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "worker=" + workerId + " job=" + task.jobId() + " prepare failed", e);
            return TaskEvent.failed(TaskEvent.Task.PREPARE, task.jobId(), task.attemptId(), workerId,
                    new Failure(Failure.TARGET, 500, "preparing the job failed on worker " + workerId + ": " + ChunkRunner.describe(e)));
        } finally {
            WorkFolder.delete(scratch);
        }
    }

    private PreparedJob prepare(PrepareTask task, Path scratch) {
        JobOptions options = task.options();
        InputFile target = task.inputs().target();
        long size = store.size(target.key());
        if (size <= 0) {
            throw new CheckFailed(Failure.TARGET, 400, size < 0 ? "target '" + target.name() + "' is not in the farm's bucket (" + target.key() + ")"
                    : "target '" + target.name() + "': the target video is an empty file: upload the whole video");
        }
        String url = store.presignedGet(target.key(), WorkerConfig.READ_URL_LIFETIME);
        InputFile audio = task.inputs().audio();
        long started = System.nanoTime();
        Path audioTrack = audio == null ? scratch.resolve("audio-track") : null;
        PacketProbe.Result probe;
        try {
            probe = PacketProbe.probe(url, audioTrack);
        } catch (MediaException e) {
            throw new CheckFailed(Failure.TARGET, 400, "target '" + target.name() + "': " + e.getMessage(), e);
        }
        long probeMs = (System.nanoTime() - started) / 1_000_000L;
        Path audioFile = audio == null ? null : fetch(audio, scratch.resolve("audio"), Failure.AUDIO);
        PreparedJob.Timeline timeline = Timeline.of(target.name(), probe.video(), options, audioFile, audio == null ? null : audio.name(),
                task.limits());
        // before the sources are fetched and their faces found: a job too large for the farm costs no face work
        String tooBig = task.limits().problem(timeline.frames(), options.chunkFrames());
        if (tooBig != null) {
            throw new CheckFailed(Failure.OPTIONS, 413, tooBig);
        }
        List<FaceChecks.Source> sources = new ArrayList<>();
        for (int i = 0; i < task.inputs().sources().size(); i++) {
            InputFile source = task.inputs().sources().get(i);
            sources.add(new FaceChecks.Source(fetch(source, scratch.resolve("source-" + i), Failure.SOURCES), source.name()));
        }
        Map<String, Path> photos = new HashMap<>();
        if (options.analysis() != null && options.analysis().mapsFaces()) {
            for (FaceMapping m : options.analysis().faceMap()) {
                if (m.referenceImage() != null && !photos.containsKey(m.referenceImage().key())) {
                    photos.put(m.referenceImage().key(), fetch(m.referenceImage(), scratch.resolve("reference-" + photos.size()), Failure.REFERENCE));
                }
            }
        }
        FaceChecks.Prepared faces = new FaceChecks(models).prepare(options.analysis(), options.processors(), options.processorOptions(), url, target.name(),
                probe.video(), sources, photos, audio != null);
        // the tracks read their window of frames, and the processors' own state reads around what the tracks give them
        Overlap overlap = TrackSettings.of(faces.analysis().options().smoothingWindow()).overlap().plus(ProcessorRegistry.overlap(faces.processors()));
        List<ChunkPlan> plans = ChunkPlanner.plan(timeline.frames(), options.chunkFrames(), overlap.past(), overlap.future(), probe.video().keyframes());
        String soundKey = audio != null ? audio.key() : null;
        if (audio == null && probe.audioTrack() != null) {
            String name = probe.audioTrack().getFileName().toString();
            soundKey = task.folder().audioTrack(name.substring(name.lastIndexOf('.') + 1));
            store.upload(probe.audioTrack(), soundKey);
        }
        return new PreparedJob(timeline, new PreparedJob.Picture(probe.video().width(), probe.video().height(), probe.video().videoCodec()), soundKey,
                faces.processors(), faces.analysis(), overlap.past(), overlap.future(), plans, probeMs);
    }

    /** A small input (a source image, new audio) on this worker's disk; a missing object is the studio's to fix. */
    private Path fetch(InputFile file, Path to, String check) {
        if (!store.exists(file.key())) {
            throw new CheckFailed(check, 400, "'" + file.name() + "' is not in the farm's bucket (" + file.key() + "): upload it again");
        }
        store.download(file.key(), to);
        return to;
    }
}
