package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.AttemptStatus;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobStatus;
import facefarm.common.provenance.FrameFinish;
import facefarm.common.provenance.SourceConsent;
import facefarm.coordinator.provenance.OutputPolicy;
import facefarm.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Read models for the API and the progress stream. */
@ApplicationScoped
public class JobViews {
    @Inject
    JobStore store;

    @Inject
    WorkerStore workers;

    @Inject
    ObjectStore objects;

    @Inject
    facefarm.coordinator.config.FarmConfig config;

    @Inject
    OutputPolicy policy;

    public Optional<JobStatus> status(UUID id) {
        return store.job(id).map(this::status);
    }

    public JobStatus status(JobRow job) {
        Map<ChunkState, Integer> counts = store.chunkCounts(job.id());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        long done = store.framesDone(job.id());
        Instant end = job.finishedAt() == null ? Instant.now() : job.finishedAt();
        double seconds = Math.max(0.001, Duration.between(job.createdAt(), end).toMillis() / 1000.0);
        double fps = done / seconds;
        Double eta = job.state().isTerminal() ? Double.valueOf(0) : fps > 0 ? (job.framesTotal() - done) / fps : null;
        String error = job.error();
        if (error != null) {
            List<String> failed = store.failedWorkers(job.id());
            if (!failed.isEmpty()) {
                error = error + " (workers that failed this job: " + String.join(", ", failed) + ")";
            }
        }
        return new JobStatus(job.id().toString(), job.state(), job.framesTotal(), done, job.fpsNumerator() + "/" + job.fpsDenominator(),
                job.width(), job.height(), job.hasAudio(), total, counts, fps, eta, job.timings(), job.processors(),
                job.analysis().options() == null ? null : job.analysis().options().withoutIdentities(), job.analysis().processorOptions(), job.analysis().models(), error,
                job.failure(), job.sizes(), job.createdAt(), job.updatedAt(), job.finishedAt(), placement(job), provenance(job));
    }

    private JobStatus.Provenance provenance(JobRow job) {
        FrameFinish finish = policy.finish(job);
        return new JobStatus.Provenance(finish.watermark() == null ? null : finish.watermark().hex(), finish.label(), finish.maxHeight(),
                SourceConsent.of(job.submission().inputs().sources()));
    }

    private JobStatus.Placement placement(JobRow job) {
        List<String> blocklisted = workers.jobFailures(job.id()).entrySet().stream().filter(e -> e.getValue() >= config.scheduling().jobFailuresBeforeBlocklist())
                .map(Map.Entry::getKey).sorted().toList();
        JobRow.Placement placement = job.placement();
        return new JobStatus.Placement(job.owner().submittedBy(), placement.priority(), placement.requiredTags(), placement.waitingFor(), blocklisted,
                placement.epoch());
    }

    /** Lines of a failed attempt's log shown with it. */
    private static final int TAIL_LINES = 20;

    /**
     * The chunk's attempts with the address of each one's log; a failed one with its log's last lines, read from the
     * object store (a log not written yet, or unreadable, shows none).
     */
    public List<AttemptStatus> attempts(JobRow job, Integer chunkIndex) {
        return store.attempts(job.id(), chunkIndex).stream().map(a -> {
            String url = "/api/v1/jobs/" + job.id() + "/chunks/" + a.chunkIndex() + "/attempts/" + a.number() + "/log";
            String tail = a.state() == AttemptState.FAILED || a.state() == AttemptState.TIMED_OUT ? tail(job.folder().attemptLog(a.chunkIndex(), a.id())) : null;
            return new AttemptStatus(a.chunkIndex(), a.number(), a.id(), a.state(), a.assignedWorker(), a.workerId(), a.framesDone(), a.framesPerSecond(), a.error(),
                    a.times(), url, tail);
        }).toList();
    }

    private String tail(String key) {
        try {
            return objects.readTail(key, 16 * 1024).map(bytes -> {
                List<String> lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
            }).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public List<ChunkStatus> chunks(UUID id) {
        return store.chunks(id).stream().map(c -> new ChunkStatus(c.index(), c.owned(), c.decoded(), c.state(), c.attempts(),
                c.currentAttempt() == null ? null : c.currentAttempt().toString(), c.workerId(), c.framesDone(), c.framesPerSecond(), c.error(), c.bytesRead())).toList();
    }
}
