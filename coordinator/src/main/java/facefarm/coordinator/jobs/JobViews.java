package facefarm.coordinator.jobs;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobStatus;
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
                job.width(), job.height(), job.hasAudio(), total, counts, fps, eta, job.timings(), job.processors(), job.analysis().options(), job.analysis().processorOptions(), job.analysis().models(), error,
                job.failure(), job.sizes(), job.createdAt(), job.updatedAt(), job.finishedAt());
    }

    public List<ChunkStatus> chunks(UUID id) {
        return store.chunks(id).stream().map(c -> new ChunkStatus(c.index(), c.owned(), c.decoded(), c.state(), c.attempts(),
                c.currentAttempt() == null ? null : c.currentAttempt().toString(), c.workerId(), c.framesDone(), c.framesPerSecond(), c.error(), c.bytesRead())).toList();
    }
}
