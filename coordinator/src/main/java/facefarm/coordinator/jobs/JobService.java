package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.RetryPolicy;
import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.planning.ChunkPlan;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.config.FarmConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job and chunk state machine over the store. Every method is one transaction and returns what must happen
 * after it commits (offers to publish, a job to stitch), so nothing is announced that the database does not hold.
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    @Inject
    JobStore store;

    @Inject
    FarmConfig config;

    @Inject
    MeterRegistry metrics;

    /** What to do once the transaction has committed. */
    public record Followup(List<ChunkOffer> offers, UUID stitch) {
        static final Followup NONE = new Followup(List.of(), null);
    }

    @Transactional
    public Followup create(JobRow job, List<ChunkPlan> plans) {
        store.insertJob(job, plans);
        List<ChunkOffer> offers = new ArrayList<>();
        for (ChunkPlan plan : plans) {
            AttemptRow attempt = store.newAttempt(job.id(), plan.index(), chunkKeyPattern(job.id(), plan.index()));
            offers.add(offer(job, plan.index(), plan.owned(), plan.decoded(), plan.seek(), attempt));
        }
        return new Followup(offers, null);
    }

    @Transactional
    public Followup onEvent(ChunkEvent event) {
        UUID attemptId = UUID.fromString(event.attemptId());
        AttemptRow located = store.attempt(attemptId).orElse(null);
        if (located == null) {
            LOG.warnf("event=%s job=%s chunk=%d attempt=%s ignored: unknown attempt", event.kind(), event.jobId(), event.chunkIndex(), attemptId);
            return Followup.NONE;
        }
        ChunkRow chunk = store.chunkForUpdate(located.jobId(), located.chunkIndex()).orElseThrow();
        if (!attemptId.equals(chunk.currentAttempt()) || chunk.state().isTerminal()) {
            LOG.infof("event=%s job=%s chunk=%d attempt=%s worker=%s fenced: the chunk's current attempt is %s (%s)", event.kind(), located.jobId(),
                    located.chunkIndex(), attemptId, event.workerId(), chunk.currentAttempt(), chunk.state());
            metrics.counter("farm.events.fenced").increment();
            return Followup.NONE;
        }
        // read again now that the chunk is locked: a concurrent event may have ended this attempt
        AttemptRow attempt = store.attempt(attemptId).orElseThrow();
        if (!attempt.state().isLive()) {
            return Followup.NONE;
        }
        JobRow job = store.jobForUpdate(attempt.jobId()).orElseThrow();
        switch (event.kind()) {
            case STARTED -> {
                store.attemptStarted(attemptId, event.workerId());
                if (chunk.state() == ChunkState.OFFERED) {
                    moveChunk(chunk, ChunkState.RUNNING, null, null);
                }
                store.touchJob(job.id());
            }
            case PROGRESS -> store.attemptProgress(attemptId, event.workerId(), event.framesDone(), event.framesPerSecond());
            case COMPLETED -> {
                return completed(job, chunk, attempt, event);
            }
            case FAILED -> {
                return failed(job, chunk, attempt, event.workerId(), AttemptState.FAILED, event.error());
            }
            default -> throw new IllegalStateException("unhandled event kind " + event.kind());
        }
        return Followup.NONE;
    }

    private Followup completed(JobRow job, ChunkRow chunk, AttemptRow attempt, ChunkEvent event) {
        if (!attempt.outputKey().equals(event.outputKey()) || event.framesDone() != chunk.owned().length()) {
            return failed(job, chunk, attempt, event.workerId(), AttemptState.FAILED, "worker reported " + event.framesDone() + " frames at "
                    + event.outputKey() + ", expected " + chunk.owned().length() + " at " + attempt.outputKey());
        }
        store.attemptProgress(attempt.id(), event.workerId(), event.framesDone(), event.framesPerSecond());
        store.attemptEnded(attempt.id(), AttemptState.COMPLETED, event.framesDone(), null);
        moveChunk(chunk, ChunkState.DONE, attempt.outputKey(), null);
        store.addTimings(job.id(), event.timings());
        metrics.counter("farm.chunks.completed").increment();
        metrics.counter("farm.frames.processed").increment(event.framesDone());
        Map<ChunkState, Integer> counts = store.chunkCounts(job.id());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (counts.getOrDefault(ChunkState.DONE, 0) == total && job.state() == JobState.RUNNING) {
            moveJob(job, JobState.STITCHING, null);
            return new Followup(List.of(), job.id());
        }
        return Followup.NONE;
    }

    private Followup failed(JobRow job, ChunkRow chunk, AttemptRow attempt, String workerId, AttemptState how, String error) {
        store.attemptEnded(attempt.id(), how, 0, error);
        store.workerFailed(job.id(), workerId, error);
        metrics.counter("farm.attempts.lost", "reason", how.name()).increment();
        RetryPolicy.Decision decision = new RetryPolicy(config.maxAttempts()).afterFailure(chunk.index(), chunk.attempts(), error);
        if (decision instanceof RetryPolicy.Retry) {
            requireTransition(chunk, ChunkState.OFFERED);
            AttemptRow next = store.newAttempt(job.id(), chunk.index(), chunkKeyPattern(job.id(), chunk.index()));
            LOG.infof("job=%s chunk=%d attempt=%s %s (%s); re-offered as attempt %d (%s)", job.id(), chunk.index(), attempt.id(), how, error,
                    next.number(), next.id());
            store.touchJob(job.id());
            return new Followup(List.of(offer(job, chunk.index(), chunk.owned(), chunk.decoded(), chunk.seek(), next)), null);
        }
        String reason = ((RetryPolicy.GiveUp) decision).reason();
        moveChunk(chunk, ChunkState.FAILED, null, error);
        failJob(job.id(), reason);
        return Followup.NONE;
    }

    /** Gives up on attempts that went silent and re-offers their chunks while the budget lasts. */
    @Transactional
    public Followup reapSilentAttempts() {
        List<ChunkOffer> offers = new ArrayList<>();
        for (AttemptRow attempt : store.silentAttempts(config.heartbeatTimeout(), config.offerTimeout())) {
            JobRow job = store.jobForUpdate(attempt.jobId()).orElseThrow();
            ChunkRow chunk = store.chunkForUpdate(attempt.jobId(), attempt.chunkIndex()).orElseThrow();
            if (job.state() != JobState.RUNNING || !attempt.id().equals(chunk.currentAttempt())) {
                continue;
            }
            String why = attempt.state() == AttemptState.RUNNING
                    ? "worker " + attempt.workerId() + " went silent for more than " + config.heartbeatTimeout().toSeconds() + " s"
                    : "no worker took the offer within " + config.offerTimeout().toMinutes() + " min";
            offers.addAll(failed(job, chunk, attempt, attempt.workerId(), AttemptState.TIMED_OUT, why).offers());
        }
        return new Followup(offers, null);
    }

    @Transactional
    public void failJob(UUID jobId, String reason) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state().isTerminal()) {
            return;
        }
        store.cancelLiveChunks(jobId);
        moveJob(job, JobState.FAILED, reason);
        metrics.counter("farm.jobs.finished", "state", "FAILED").increment();
        LOG.warnf("job=%s failed: %s", jobId, reason);
    }

    @Transactional
    public void stitched(UUID jobId, String outputKey, long stitchMs) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        store.jobOutput(jobId, outputKey, stitchMs);
        moveJob(job, JobState.DONE, null);
        metrics.counter("farm.jobs.finished", "state", "DONE").increment();
    }

    private static String chunkKeyPattern(UUID jobId, int chunkIndex) {
        return ObjectKeys.chunk(jobId.toString(), chunkIndex, "{attempt}", "mkv");
    }

    /** Every change of a chunk's or job's state goes through the transition rules of ChunkState and JobState. */
    private void moveChunk(ChunkRow chunk, ChunkState target, String outputKey, String error) {
        requireTransition(chunk, target);
        store.chunkState(chunk.jobId(), chunk.index(), target, outputKey, error);
    }

    private static void requireTransition(ChunkRow chunk, ChunkState target) {
        if (!chunk.state().canBecome(target)) {
            throw new IllegalStateException("chunk " + chunk.index() + " of job " + chunk.jobId() + " cannot go from " + chunk.state() + " to " + target);
        }
    }

    private void moveJob(JobRow job, JobState target, String error) {
        if (!job.state().canBecome(target)) {
            throw new IllegalStateException("job " + job.id() + " cannot go from " + job.state() + " to " + target);
        }
        store.jobState(job.id(), target, error);
    }

    private static ChunkOffer offer(JobRow job, int chunkIndex, FrameRange owned, FrameRange decoded, Keyframe seek, AttemptRow attempt) {
        return new ChunkOffer(job.id().toString(), chunkIndex, attempt.id().toString(), attempt.number(), owned, decoded,
                seek, job.framesTotal(), job.fpsNumerator(), job.fpsDenominator(), job.width(), job.height(), job.targetKey(),
                job.sourceKeys(), job.processors(), attempt.outputKey(), job.analysis().options(), job.analysis().referenceEmbedding(),
                job.analysis().processorOptions(), job.audioKey(), job.targetFrames());
    }
}
