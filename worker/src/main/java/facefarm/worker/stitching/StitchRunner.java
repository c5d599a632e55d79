package facefarm.worker.stitching;

import facefarm.common.jobs.Failure;
import facefarm.common.messaging.StitchTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.storage.ObjectStore;
import facefarm.worker.WorkerConfig;
import facefarm.worker.pipeline.ChunkRunner;
import facefarm.worker.pipeline.WorkFolder;
import facefarm.worker.provenance.c2pa.OutputSigner;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A job's stitch task: its chunks joined by stream copy, read straight from S3 through presigned URLs, with the audio
 * muxed once; the output streams into the attempt's key as it is written. Never throws: the outcome is a COMPLETED or
 * FAILED event.
 */
public final class StitchRunner {
    private static final System.Logger LOG = System.getLogger(StitchRunner.class.getName());

    private final String workerId;
    private final ObjectStore store;
    private final Path workDir;
    private final OutputSigner signer;

    /** @param signer what signs MP4 outputs' Content Credentials when a task asks for them */
    public StitchRunner(String workerId, ObjectStore store, Path workDir, OutputSigner signer) {
        this.workerId = workerId;
        this.store = store;
        this.workDir = workDir;
        this.signer = signer;
    }

    public TaskEvent run(StitchTask task, Consumer<TaskEvent> events) {
        events.accept(TaskEvent.started(TaskEvent.Task.STITCH, task.jobId(), task.attemptId(), workerId));
        Path scratch = workDir.resolve("stitch").resolve(task.jobId() + "-" + task.attemptId());
        long started = System.nanoTime();
        try {
            Files.createDirectories(scratch);
            var parts = task.chunks().stream()
                    .map(p -> new StreamCopyStitcher.Part(store.presignedGet(p.key(), WorkerConfig.READ_URL_LIFETIME), p.frames())).toList();
            String audio = task.audioKey() == null ? null : store.presignedGet(task.audioKey(), WorkerConfig.READ_URL_LIFETIME);
            // the output streams into S3 as it is written: this worker's disk never holds it
            // an MP4 with Content Credentials is streamed unsigned first: its C2PA box needs the hash of all of it;
            // other formats cannot carry them inside and get a sidecar
            boolean signs = task.credentials() != null && "mp4".equals(task.encoding().format());
            boolean sidecar = task.credentials() != null && !signs;
            String streamedKey = signs ? task.outputKey() + ".unsigned" : task.outputKey();
            StreamingUpload upload = new StreamingUpload(store, streamedKey, StreamingUpload.PART);
            StreamCopyStitcher.Result result = StreamCopyStitcher.stitch(parts, audio, task.exactAudio(), new StreamCopyStitcher.Output(null, upload,
                    task.encoding().format(), task.frames(), task.fpsNumerator(), task.fpsDenominator()), scratch);
            long bytes = signs ? signer.sign(streamedKey, task.outputKey(), task.credentials()) : upload.size();
            if (sidecar) {
                signer.signSidecar(task.outputKey(), task.credentials());
            }
            long ms = (System.nanoTime() - started) / 1_000_000L;
            LOG.log(Level.INFO, "worker={0} job={1} stitched {2} frames from {3} chunks into {4} bytes in {5} ms, streamed to S3 (audio {6}, content credentials {7})",
                    workerId, task.jobId(), result.frames(), parts.size(), bytes, ms, audio == null ? "none" : result.audioCopied() ? "copied" : "encoded",
                    signs || sidecar ? (sidecar ? "in a sidecar, " : "") + (signer.local() ? "signed with the local key" : "signed") : "none");
            return new TaskEvent(TaskEvent.Kind.COMPLETED, TaskEvent.Task.STITCH, task.jobId(), task.attemptId(), workerId, null,
                    new TaskEvent.Stitched(task.outputKey(), result.frames(), bytes, result.chunkBytes(), ms), null);
        } catch (RuntimeException | IOException | LinkageError e) {
            LOG.log(Level.WARNING, "worker=" + workerId + " job=" + task.jobId() + " stitch failed", e);
            return TaskEvent.failed(TaskEvent.Task.STITCH, task.jobId(), task.attemptId(), workerId,
                    new Failure(Failure.STITCH, 500, "stitching failed on worker " + workerId + ": " + ChunkRunner.describe(e)));
        } finally {
            WorkFolder.delete(scratch);
        }
    }
}
