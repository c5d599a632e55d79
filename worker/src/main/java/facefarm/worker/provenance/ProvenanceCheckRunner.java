package facefarm.worker.provenance;

import facefarm.common.messaging.ProvenanceCheck;
import facefarm.common.messaging.ProvenanceCheckResult;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.storage.ObjectStore;
import facefarm.worker.media.MediaException;
import facefarm.worker.pipeline.ChunkRunner;
import facefarm.worker.pipeline.WorkFolder;
import facefarm.worker.provenance.c2pa.SidecarCredentials;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A provenance check on a worker: the stored file (and its sidecar, beside it under the name a sidecar has) comes
 * into scratch, is read as ./farm provenance reads it, and goes. Never throws: the outcome is a report or an error
 * that says what to do.
 */
public final class ProvenanceCheckRunner {
    private static final System.Logger LOG = System.getLogger(ProvenanceCheckRunner.class.getName());

    private final String workerId;
    private final ObjectStore store;
    private final Path workDir;

    public ProvenanceCheckRunner(String workerId, ObjectStore store, Path workDir) {
        this.workerId = workerId;
        this.store = store;
        this.workDir = workDir;
    }

    public ProvenanceCheckResult run(ProvenanceCheck check) {
        Path scratch = workDir.resolve("checks").resolve(check.checkId());
        String name = check.key().substring(check.key().lastIndexOf('/') + 1);
        long started = System.nanoTime();
        try {
            for (String key : check.sidecarKey() == null ? new String[] {check.key()} : new String[] {check.key(), check.sidecarKey()}) {
                if (!store.exists(key)) {
                    return error(check, key + " is no longer in the farm's storage (deleted after the retention period?): upload the file again");
                }
            }
            Files.createDirectories(scratch);
            Path file = scratch.resolve(name);
            store.download(check.key(), file);
            if (check.sidecarKey() != null) {
                store.download(check.sidecarKey(), SidecarCredentials.sidecarOf(file));
            }
            ProvenanceReport report = ProvenanceReader.read(file, check.frames());
            LOG.log(Level.INFO, "worker={0} check={1} read {2}: watermark {3}, content credentials {4}, in {5} ms", workerId, check.checkId(), check.key(),
                    report.watermark().found() ? report.watermark().payload() : "none", report.credentials().status(),
                    (System.nanoTime() - started) / 1_000_000L);
            return new ProvenanceCheckResult(check.checkId(), workerId, report, null);
        } catch (MediaException e) {
            return error(check, name + " is not a video or image this farm can decode, so it has no watermark to read");
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "worker=" + workerId + " check=" + check.checkId() + " failed", e);
            return error(check, "the check failed on worker " + workerId + ": " + ChunkRunner.describe(e) + "; try again");
        } finally {
            WorkFolder.delete(scratch);
        }
    }

    private ProvenanceCheckResult error(ProvenanceCheck check, String error) {
        return new ProvenanceCheckResult(check.checkId(), workerId, null, error);
    }
}
