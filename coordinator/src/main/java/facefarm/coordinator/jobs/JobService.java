package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.FailureCause;
import facefarm.common.jobs.JobLimits;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.PreparedJob;
import facefarm.common.jobs.RetryPolicy;
import facefarm.common.jobs.VideoEncoding;
import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.StitchTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.planning.ChunkPlan;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.provenance.OutputPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job and chunk state machine over the store. Every method is one transaction and returns what must happen
 * after it commits (chunks queued for the dispatcher, a task to publish, objects to remove), so nothing is announced
 * that the database does not hold.
 */
@ApplicationScoped
public class JobService {
    /** How long a send after commit may take (the publisher waits up to 30 s for the broker) before the outbox sends it. */
    private static final Duration UNSENT_GRACE = Duration.ofSeconds(35);
    /** A worker between two chunks is idle for a moment; one idle this long is really waiting for work. */
    private static final Duration IDLE_BEFORE_SUSPECTING_OFFERS = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(JobService.class);

    @Inject
    JobStore store;

    @Inject
    FarmConfig config;

    @Inject
    OutputPolicy policy;

    @Inject
    MeterRegistry metrics;

    @Inject
    WorkerStore workers;

    /**
     * What to do once the transaction has committed: whether chunks were queued (the dispatcher then sends them to free
     * workers, by priority), prepare/stitch tasks to publish, and objects to remove from S3 (a job that failed its checks
     * leaves nothing behind; a stitched job keeps no chunks).
     */
    public record Followup(boolean dispatch, List<Record> tasks, String removePrefix) {
        public static final Followup NONE = new Followup(false, List.of(), null);
        static final Followup DISPATCH = new Followup(true, List.of(), null);

        static Followup task(Record task) {
            return new Followup(false, List.of(task), null);
        }

        static Followup remove(String prefix) {
            return new Followup(false, List.of(), prefix);
        }

        public Followup plus(Followup other) {
            List<Record> t = new ArrayList<>(tasks);
            t.addAll(other.tasks);
            return new Followup(dispatch || other.dispatch, t, removePrefix != null ? removePrefix : other.removePrefix);
        }
    }

    /** Fired after a commit that queued chunks: the dispatcher sends them to free workers. */
    public record WorkQueued() {
    }

    /** Stores a submitted job (PREPARING) and its first prepare task. */
    @Transactional
    public Followup create(JobRow job) {
        store.insertJob(job);
        store.recordAction(job.id(), "submit", job.owner().submittedBy(), null);
        TaskRow task = store.newTask(job.id(), TaskEvent.Task.PREPARE);
        return Followup.task(prepareTask(job, task));
    }

    /** Why an action cannot be taken on a job in its present state (the API answers 409 with it). */
    public static final class NotNow extends RuntimeException {
        public NotNow(String message) {
            super(message);
        }
    }

    /**
     * Stops a job for good: nothing more is offered; its live chunks, attempts and task end CANCELLED; the fence the
     * outbox sends stops the workers' running attempts at their next frame; its chunks are deleted (its inputs are
     * kept until retention, so it can be rendered again).
     *
     * @throws NotNow when the job has already ended
     */
    @Transactional
    public Followup cancel(UUID jobId, String actor) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state().isTerminal()) {
            throw new NotNow("job " + jobId + " has already ended (" + job.state() + "): there is nothing to cancel");
        }
        store.cancelLiveChunks(jobId);
        moveJob(job, JobState.CANCELLED, "cancelled by " + actor);
        store.recordAction(jobId, "cancel", actor, "was " + job.state());
        LOG.infof("job=%s cancelled by %s while %s", jobId, actor, job.state());
        return Followup.remove(job.folder().chunks());
    }

    /**
     * Holds a running job: chunks already running finish; offers already sent are superseded (the fence makes workers
     * skip them) by new attempts that stay unsent, at no cost to the retry budget, until {@link #resume}.
     *
     * @throws NotNow unless the job is RUNNING
     */
    @Transactional
    public Followup pause(UUID jobId, String actor) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state() != JobState.RUNNING) {
            throw new NotNow("job " + jobId + " is " + job.state() + ": only a RUNNING job can be paused"
                    + (job.state() == JobState.PAUSED ? " (it is paused already; resume it)" : ""));
        }
        int held = 0;
        for (ChunkRow listed : store.chunks(jobId)) {
            ChunkRow chunk = store.chunkForUpdate(jobId, listed.index()).orElseThrow();
            AttemptRow attempt = chunk.currentAttempt() == null ? null : store.attempt(chunk.currentAttempt()).orElse(null);
            if (chunk.state() != ChunkState.OFFERED || attempt == null || attempt.state() != AttemptState.OFFERED || store.attemptUnpublished(attempt.id())) {
                continue;
            }
            handBack(job, chunk, attempt, 0, "held: the job was paused by " + actor);
            held++;
        }
        moveJob(job, JobState.PAUSED, null);
        store.recordAction(jobId, "pause", actor, held + " queued chunk(s) held");
        LOG.infof("job=%s paused by %s: %d queued chunk(s) held", jobId, actor, held);
        return Followup.NONE;
    }

    /**
     * Lets a paused job go on: its held offers are sent now (a retry still waiting out its backoff is sent when that
     * has passed), or, when every chunk finished while it was paused, its stitch starts.
     *
     * @throws NotNow unless the job is PAUSED
     */
    @Transactional
    public Followup resume(UUID jobId, String actor) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state() != JobState.PAUSED) {
            throw new NotNow("job " + jobId + " is " + job.state() + ": only a PAUSED job can be resumed");
        }
        moveJob(job, JobState.RUNNING, null);
        store.recordAction(jobId, "resume", actor, null);
        LOG.infof("job=%s resumed by %s", jobId, actor);
        Followup stitch = stitchIfAllDone(store.job(jobId).orElseThrow());
        return stitch != Followup.NONE ? stitch : Followup.DISPATCH;
    }

    /**
     * Renders a FAILED or CANCELLED job again as a new run (its epoch), with a fresh retry budget: only chunks without a
     * finished output ({@code chunkOutputs}, what S3 still holds) run again; a job with all of them is stitched; one that
     * never got past its prepare task is prepared again.
     *
     * @throws NotNow unless the job is FAILED or CANCELLED, or when retention has deleted its inputs
     */
    @Transactional
    public Followup retry(UUID jobId, String actor, java.util.Set<String> chunkOutputs, boolean inputsKept) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state() != JobState.FAILED && job.state() != JobState.CANCELLED) {
            throw new NotNow("job " + jobId + " is " + job.state() + ": only a FAILED or CANCELLED job can be retried"
                    + (job.state() == JobState.DONE ? " (a DONE job's output is delivered; submit it again to render it anew)" : ""));
        }
        if (!inputsKept) {
            throw new NotNow("the inputs of job " + jobId + " were deleted " + config.retention().inputs().toHours()
                    + " h after it ended (farm.retention.inputs): submit it again");
        }
        store.reopen(jobId);
        List<ChunkRow> chunks = store.chunks(jobId);
        if (chunks.isEmpty()) {
            moveJob(job, JobState.PREPARING, null);
            store.recordAction(jobId, "retry", actor, "was " + job.state() + "; prepared again");
            LOG.infof("job=%s retried by %s: prepared again", jobId, actor);
            return Followup.task(prepareTask(store.job(jobId).orElseThrow(), store.newTask(jobId, TaskEvent.Task.PREPARE)));
        }
        int rerun = 0;
        for (ChunkRow listed : chunks) {
            ChunkRow chunk = store.chunkForUpdate(jobId, listed.index()).orElseThrow();
            if (chunk.state() == ChunkState.DONE && chunkOutputs.contains(chunk.outputKey())) {
                continue;
            }
            requireTransition(chunk, ChunkState.OFFERED);
            store.freshBudget(jobId, chunk.index());
            store.newAttempt(jobId, chunk.index(), chunkKeyPattern(job, chunk.index()));
            rerun++;
        }
        store.recordAction(jobId, "retry", actor, "was " + job.state() + "; " + rerun + " of " + chunks.size() + " chunks to render again");
        LOG.infof("job=%s retried by %s: %d of %d chunks render again", jobId, actor, rerun, chunks.size());
        if (rerun == 0) {
            moveJob(job, JobState.STITCHING, null);
            return Followup.task(stitchTask(store.job(jobId).orElseThrow(), store.newTask(jobId, TaskEvent.Task.STITCH)));
        }
        moveJob(job, JobState.RUNNING, null);
        return Followup.DISPATCH;
    }

    /**
     * Renders one chunk of a RUNNING or PAUSED job again, with a fresh retry budget: a live attempt is superseded (the
     * fence stops it), a finished output is replaced (and removed).
     *
     * @throws NotNow in any other state of the job
     * @throws java.util.NoSuchElementException when the job has no such chunk
     */
    @Transactional
    public Followup retryChunk(UUID jobId, int index, String actor) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state() != JobState.RUNNING && job.state() != JobState.PAUSED) {
            throw new NotNow("job " + jobId + " is " + job.state() + ": a chunk can be rendered again while its job is RUNNING or PAUSED"
                    + (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED ? " (retry the whole job: only its missing chunks run)" : ""));
        }
        ChunkRow chunk = store.chunkForUpdate(jobId, index).orElseThrow(() -> new java.util.NoSuchElementException("job " + jobId + " has no chunk " + index));
        AttemptRow attempt = chunk.currentAttempt() == null ? null : store.attempt(chunk.currentAttempt()).orElse(null);
        if (attempt != null && attempt.state().isLive()) {
            store.attemptEnded(attempt.id(), AttemptState.CANCELLED, 0, "superseded: chunk " + index + " retried by " + actor);
        }
        String replaced = chunk.state() == ChunkState.DONE ? chunk.outputKey() : null;
        requireTransition(chunk, ChunkState.OFFERED);
        store.freshBudget(jobId, index);
        AttemptRow next = store.newAttempt(jobId, index, chunkKeyPattern(job, index));
        store.recordAction(jobId, "retry-chunk", actor, "chunk " + index + " (was " + chunk.state() + ")");
        LOG.infof("job=%s chunk=%d retried by %s (was %s) as attempt %d", jobId, index, actor, chunk.state(), next.number());
        return new Followup(true, List.of(), replaced);
    }

    /**
     * Changes a job's priority: its chunks not sent yet go out in the new order (running ones finish where they are).
     *
     * @throws NotNow when the job has ended
     */
    @Transactional
    public Followup priority(UUID jobId, int priority, String actor) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        if (job.state().isTerminal()) {
            throw new NotNow("job " + jobId + " has already ended (" + job.state() + "): its priority no longer matters");
        }
        store.priority(jobId, priority);
        store.recordAction(jobId, "priority", actor, job.placement().priority() + " -> " + priority);
        LOG.infof("job=%s priority %d -> %d by %s", jobId, job.placement().priority(), priority, actor);
        return Followup.DISPATCH;
    }

    /**
     * Makes the queued attempt's offer for {@code workerId}, which dispatch chose, and records the choice; empty when
     * the attempt is no longer the chunk's current, queued one or its job no longer runs (it changed since it was read).
     */
    @Transactional
    public java.util.Optional<ChunkOffer> assign(JobStore.Queued queued, String workerId) {
        JobRow job = store.jobForUpdate(queued.jobId()).orElseThrow();
        ChunkRow chunk = store.chunkForUpdate(queued.jobId(), queued.chunkIndex()).orElseThrow();
        if (job.state() != JobState.RUNNING || !queued.attemptId().equals(chunk.currentAttempt()) || !store.attemptUnpublished(queued.attemptId())) {
            return java.util.Optional.empty();
        }
        store.attemptAssigned(queued.attemptId(), workerId);
        return java.util.Optional.of(offer(job, chunk, store.attempt(queued.attemptId()).orElseThrow(), workerId));
    }

    /**
     * Takes back an offer whose partition a rebalance gave to another worker before its worker started it: the worker
     * it was meant for no longer reads it, and the one that does may be busy for a whole chunk. A new attempt is queued
     * at no cost to the budget; the fence makes the old record be skipped.
     */
    @Transactional
    public Followup offerMoved(JobStore.SentOffer sent) {
        return takeBack(sent.jobId(), sent.chunkIndex(), sent.attemptId(),
                "partition " + sent.partition() + " moved from worker " + sent.worker() + " in a rebalance before it started");
    }

    /**
     * Hands back a sent offer its worker cannot take (its partition moved, or the worker went silent) while it is still
     * the chunk's current, unstarted attempt; locks job, chunk, attempt as event handling does.
     */
    private Followup takeBack(UUID jobId, int chunkIndex, UUID attemptId, String why) {
        JobRow job = store.jobForUpdate(jobId).orElseThrow();
        ChunkRow chunk = store.chunkForUpdate(jobId, chunkIndex).orElseThrow();
        AttemptRow attempt = store.attempt(attemptId).orElseThrow();
        if (job.state().isTerminal() || !attemptId.equals(chunk.currentAttempt()) || attempt.state() != AttemptState.OFFERED) {
            return Followup.NONE;
        }
        handBack(job, chunk, attempt, 0, why);
        return Followup.DISPATCH;
    }

    /** Records why no live worker can take each job's queued chunks (null: one can), and clears it for all other jobs. */
    @Transactional
    public void waiting(Map<UUID, String> reasons) {
        reasons.forEach(store::waitingFor);
        store.nothingWaitingExcept(reasons.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList());
    }

    @Transactional
    public Followup onTaskEvent(TaskEvent event) {
        UUID taskId = UUID.fromString(event.attemptId());
        TaskRow task = store.task(taskId).orElse(null);
        if (task == null) {
            LOG.warnf("event=%s %s job=%s attempt=%s ignored: unknown attempt", event.kind(), event.task(), event.jobId(), taskId);
            return Followup.NONE;
        }
        JobRow job = store.jobForUpdate(task.jobId()).orElseThrow();
        TaskRow current = store.task(taskId).orElseThrow();
        if (!taskId.equals(job.currentTask()) || !current.state().isLive() || job.state().isTerminal()) {
            LOG.infof("event=%s %s job=%s attempt=%s worker=%s fenced: the job's current task is %s (%s)", event.kind(), event.task(), job.id(),
                    taskId, event.workerId(), job.currentTask(), job.state());
            metrics.counter("farm.events.fenced").increment();
            return Followup.NONE;
        }
        return switch (event.kind()) {
            case STARTED -> {
                store.taskSeen(taskId, event.workerId());
                yield Followup.NONE;
            }
            case COMPLETED -> {
                store.taskEnded(taskId, AttemptState.COMPLETED, null);
                yield event.task() == TaskEvent.Task.PREPARE ? prepared(job, current, event.prepared()) : stitched(job, current, event.stitched());
            }
            case FAILED -> taskFailed(job, current, event.workerId(), AttemptState.FAILED, event.failure());
        };
    }

    /** The job's checks passed: store what the worker learned, its chunks and their first attempts, and offer them. */
    private Followup prepared(JobRow job, TaskRow task, PreparedJob prepared) {
        long planned = prepared.chunks().stream().mapToLong(c -> c.owned().length()).sum();
        if (prepared.chunks().isEmpty() || planned != prepared.timeline().frames()) {
            return taskFailed(job, task, null, AttemptState.FAILED, new Failure(Failure.CHUNKS, 500,
                    "the prepare task planned " + planned + " frames in " + prepared.chunks().size() + " chunks for a " + prepared.timeline().frames()
                            + "-frame job"));
        }
        store.jobPrepared(job.id(), prepared);
        for (ChunkPlan plan : prepared.chunks()) {
            store.newAttempt(job.id(), plan.index(), chunkKeyPattern(job, plan.index()));
        }
        moveJob(job, JobState.RUNNING, null);
        LOG.infof("job=%s prepared: %d frames at %d/%d, %dx%d, %d chunks, processors=%s, models=%s", job.id(), prepared.timeline().frames(),
                prepared.timeline().fpsNumerator(), prepared.timeline().fpsDenominator(), prepared.picture().width(), prepared.picture().height(),
                prepared.chunks().size(), prepared.processors(), prepared.analysis().models().stream().map(m -> m.id()).toList());
        return Followup.DISPATCH;
    }

    private Followup stitched(JobRow job, TaskRow task, TaskEvent.Stitched stitched) {
        if (stitched.frames() != job.framesTotal()) {
            return taskFailed(job, task, null, AttemptState.FAILED, new Failure(Failure.STITCH, 500,
                    "the stitch wrote " + stitched.frames() + " frames, the job has " + job.framesTotal()));
        }
        store.jobOutput(job.id(), stitched);
        moveJob(job, JobState.DONE, null);
        LOG.infof("job=%s done: %d frames stitched in %d ms", job.id(), stitched.frames(), stitched.stitchMs());
        return Followup.remove(job.folder().chunks());
    }

    /**
     * A prepare or stitch attempt ended without a result. A refusal of the studio's input is final (the job fails with
     * its reason and its objects are removed); a fault of the farm is retried on another attempt while the budget lasts.
     */
    private Followup taskFailed(JobRow job, TaskRow task, String workerId, AttemptState how, Failure failure) {
        store.taskEnded(task.id(), how, failure.message());
        if (!failure.isInputError()) {
            // a refusal of the studio's input is not the worker's fault
            workerFailed(job.id(), workerId != null ? workerId : task.workerId(), failure.message());
        }
        // only the job's current task fails here, and it is the newest of its kind: its number is the attempts used
        int used = task.number();
        if (!failure.isInputError() && used < config.maxAttempts()) {
            Duration delay = backoff(used + 1);
            TaskRow next = store.newTask(job.id(), task.kind(), delay);
            LOG.infof("job=%s %s attempt %d %s (%s); offered again as attempt %d in %d s", job.id(), task.kind(), task.number(), how, failure.message(),
                    next.number(), delay.toSeconds());
            return delay.isZero() ? Followup.task(task.kind() == TaskEvent.Task.PREPARE ? prepareTask(job, next) : stitchTask(job, next)) : Followup.NONE;
        }
        Failure last = failure.isInputError() ? failure : new Failure(failure.check(), failure.status(), task.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " failed " + used + " of " + config.maxAttempts() + " allowed attempts; last error: " + failure.message());
        fail(job, last);
        return task.kind() == TaskEvent.Task.PREPARE && failure.isInputError() ? Followup.remove(job.folder().prefix()) : Followup.NONE;
    }

    @Transactional
    public Followup onEvent(ChunkEvent event) {
        UUID attemptId = UUID.fromString(event.attemptId());
        AttemptRow located = store.attempt(attemptId).orElse(null);
        if (located == null) {
            LOG.warnf("event=%s job=%s chunk=%d attempt=%s ignored: unknown attempt", event.kind(), event.jobId(), event.chunkIndex(), attemptId);
            return Followup.NONE;
        }
        // one lock order everywhere (job, chunk, attempt), as the reaper takes them
        JobRow job = store.jobForUpdate(located.jobId()).orElseThrow();
        ChunkRow chunk = store.chunkForUpdate(located.jobId(), located.chunkIndex()).orElseThrow();
        if (!attemptId.equals(chunk.currentAttempt()) || chunk.state().isTerminal()) {
            LOG.infof("event=%s job=%s chunk=%d attempt=%s worker=%s fenced: the chunk's current attempt is %s (%s)", event.kind(), located.jobId(),
                    located.chunkIndex(), attemptId, event.workerId(), chunk.currentAttempt(), chunk.state());
            metrics.counter("farm.events.fenced").increment();
            // a fenced attempt's upload is nobody's output (its key is the attempt's own): remove it, e.g. after a cancel
            boolean strayUpload = event.kind() == ChunkEvent.Kind.COMPLETED && located.outputKey() != null
                    && located.outputKey().equals(event.outputKey()) && !located.outputKey().equals(chunk.outputKey());
            return strayUpload ? Followup.remove(located.outputKey()) : Followup.NONE;
        }
        // read again now that the chunk is locked: a concurrent event may have ended this attempt
        AttemptRow attempt = store.attempt(attemptId).orElseThrow();
        if (!attempt.state().isLive()) {
            return Followup.NONE;
        }
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
            case RELEASED -> {
                return released(job, chunk, attempt, event);
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
        store.addBytesRead(job.id(), attempt.id(), event.bytesRead());
        moveChunk(chunk, ChunkState.DONE, attempt.outputKey(), null);
        store.addTimings(job.id(), event.timings());
        metrics.counter("farm.chunks.completed").increment();
        metrics.counter("farm.frames.processed").increment(event.framesDone());
        chunkMetrics(job, event, store.attemptSeconds(attempt.id()));
        // a paused job stitches once it is resumed
        return job.state() == JobState.RUNNING ? stitchIfAllDone(job) : Followup.NONE;
    }

    /**
     * A finished chunk on the operators' graphs: its wall time by processor chain (a histogram), and the worker's frames
     * and busy time.
     */
    private void chunkMetrics(JobRow job, ChunkEvent event, double seconds) {
        io.micrometer.core.instrument.Timer.builder("farm.chunk.duration").tag("chain", String.join("+", job.processors()))
                .description("wall time of a finished chunk attempt, from its start on a worker").publishPercentileHistogram()
                .register(metrics).record(Duration.ofMillis(Math.round(seconds * 1000)));
        metrics.counter("farm.worker.frames", "worker", event.workerId()).increment(event.framesDone());
        metrics.counter("farm.worker.busy.seconds", "worker", event.workerId()).increment(seconds);
    }

    /** Moves the job to STITCHING and starts its stitch once every chunk is DONE; otherwise nothing. */
    private Followup stitchIfAllDone(JobRow job) {
        Map<ChunkState, Integer> counts = store.chunkCounts(job.id());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (counts.getOrDefault(ChunkState.DONE, 0) != total) {
            return Followup.NONE;
        }
        moveJob(job, JobState.STITCHING, null);
        return Followup.task(stitchTask(job, store.newTask(job.id(), TaskEvent.Task.STITCH)));
    }

    /**
     * A stopping worker handed its attempt back: offered again at once as a new attempt, without backoff, without
     * counting against the chunk's budget or the worker's failures, so a scale-down never waits for a timeout.
     */
    private Followup released(JobRow job, ChunkRow chunk, AttemptRow attempt, ChunkEvent event) {
        AttemptRow next = handBack(job, chunk, attempt, event.framesDone(), event.error());
        if (event.workerId() != null && event.workerId().equals(attempt.assignedWorker())) {
            // its own chunk, not one misrouted to it: the worker is shutting down, so the chunk must go elsewhere
            workers.stopping(event.workerId());
        }
        metrics.counter("farm.attempts.released").increment();
        LOG.infof("job=%s chunk=%d attempt=%s handed back by worker %s after %d frames (%s); re-offered as attempt %d (%s)", job.id(), chunk.index(),
                attempt.id(), event.workerId(), event.framesDone(), event.error(), next.number(), next.id());
        store.touchJob(job.id());
        return Followup.DISPATCH;
    }

    /**
     * Ends the chunk's current attempt as RELEASED and makes a new one, without backoff and without counting it
     * against the retry budget: a stopping worker's hand-back, and an offer a pause holds back.
     */
    private AttemptRow handBack(JobRow job, ChunkRow chunk, AttemptRow attempt, long framesDone, String why) {
        store.attemptEnded(attempt.id(), AttemptState.RELEASED, framesDone, why);
        store.chunkReleased(job.id(), chunk.index());
        requireTransition(chunk, ChunkState.OFFERED);
        return store.newAttempt(job.id(), chunk.index(), chunkKeyPattern(job, chunk.index()));
    }

    private Followup failed(JobRow job, ChunkRow chunk, AttemptRow attempt, String workerId, AttemptState how, String error) {
        store.attemptEnded(attempt.id(), how, 0, error);
        workerFailed(job.id(), workerId, error);
        metrics.counter("farm.attempts.lost", "reason", how.name()).increment();
        String cause = FailureCause.of(error).label();
        metrics.counter("farm.chunk.failures", "cause", cause).increment();
        RetryPolicy.Decision decision = new RetryPolicy(config.maxAttempts()).afterFailure(chunk.index(), chunk.attemptsUsed(), error);
        if (decision instanceof RetryPolicy.Retry) {
            requireTransition(chunk, ChunkState.OFFERED);
            Duration delay = backoff(chunk.attemptsUsed() + 1);
            metrics.counter("farm.chunk.retries", "cause", cause).increment();
            AttemptRow next = store.newAttempt(job.id(), chunk.index(), chunkKeyPattern(job, chunk.index()), delay);
            LOG.infof("job=%s chunk=%d attempt=%s %s (%s); re-offered as attempt %d (%s) in %d s", job.id(), chunk.index(), attempt.id(), how, error,
                    next.number(), next.id(), delay.toSeconds());
            store.touchJob(job.id());
            // a delayed retry is sent by the dispatcher once its backoff has passed
            return Followup.DISPATCH;
        }
        String reason = ((RetryPolicy.GiveUp) decision).reason();
        moveChunk(chunk, ChunkState.FAILED, null, error);
        failJob(job.id(), reason);
        return Followup.NONE;
    }

    /** Gives up on attempts and tasks that went silent and offers them again while the budget lasts. */
    @Transactional
    public Followup reapSilentAttempts() {
        Followup followup = Followup.NONE;
        if (!store.heardFromWorkersWithin(config.heartbeatTimeout())) {
            // nothing heard from any worker: the coordinator or the broker was away, not necessarily the workers
            return followup;
        }
        // an offer not taken while every worker is busy is queued, not lost: it costs no attempt
        boolean someWorkerIdle = store.workerIdleFor(config.heartbeatTimeout(), IDLE_BEFORE_SUSPECTING_OFFERS);
        // locks in the order event handling takes them (job, chunk, attempt), checking again once locked
        for (TaskRow task : store.silentTasks(config.heartbeatTimeout(), config.offerTimeout())) {
            if (task.state() == AttemptState.OFFERED && !someWorkerIdle) {
                continue;
            }
            JobRow job = store.jobForUpdate(task.jobId()).orElseThrow();
            if (job.state().isTerminal() || !task.id().equals(job.currentTask())
                    || !store.taskStillSilent(task.id(), config.heartbeatTimeout(), config.offerTimeout())) {
                continue;
            }
            String why = task.state() == AttemptState.RUNNING
                    ? "worker " + task.workerId() + " went silent for more than " + config.heartbeatTimeout().toSeconds() + " s"
                    : "no worker took the " + task.kind().name().toLowerCase(java.util.Locale.ROOT) + " task within " + config.offerTimeout().toMinutes() + " min";
            followup = followup.plus(taskFailed(job, task, task.workerId(), AttemptState.TIMED_OUT,
                    new Failure(task.kind() == TaskEvent.Task.PREPARE ? Failure.TARGET : Failure.STITCH, 503, why)));
        }
        for (AttemptRow attempt : store.strandedOffers(config.heartbeatTimeout())) {
            followup = followup.plus(takeBack(attempt.jobId(), attempt.chunkIndex(), attempt.id(), "the worker it was sent to went silent before it took it"));
        }
        for (AttemptRow attempt : store.silentAttempts(config.heartbeatTimeout(), config.offerTimeout())) {
            if (attempt.state() == AttemptState.OFFERED && !someWorkerIdle) {
                continue;
            }
            JobRow job = store.jobForUpdate(attempt.jobId()).orElseThrow();
            ChunkRow chunk = store.chunkForUpdate(attempt.jobId(), attempt.chunkIndex()).orElseThrow();
            // a paused job's running chunks still time out; its held offers wait for resume
            boolean reapable = job.state() == JobState.RUNNING || job.state() == JobState.PAUSED && attempt.state() == AttemptState.RUNNING;
            if (!reapable || !attempt.id().equals(chunk.currentAttempt())
                    || !store.attemptStillSilent(attempt.id(), config.heartbeatTimeout(), config.offerTimeout())) {
                continue;
            }
            String why = attempt.state() == AttemptState.RUNNING
                    ? "worker " + attempt.workerId() + " went silent for more than " + config.heartbeatTimeout().toSeconds() + " s"
                    : "no worker took the offer within " + config.offerTimeout().toMinutes() + " min";
            followup = followup.plus(failed(job, chunk, attempt, attempt.workerId(), AttemptState.TIMED_OUT, why));
        }
        return followup;
    }

    /**
     * The outbox of prepare and stitch tasks recorded but not sent, because their retry backoff just passed or because
     * the send after their commit never happened (a crash, a broker error). Chunks are the dispatcher's.
     */
    @Transactional
    public Followup publishDue() {
        List<Record> tasks = new ArrayList<>();
        for (TaskRow task : store.unpublishedTasks(UNSENT_GRACE)) {
            JobRow job = store.jobForUpdate(task.jobId()).orElseThrow();
            if (!job.state().isTerminal() && task.id().equals(job.currentTask()) && store.taskUnpublished(task.id())) {
                tasks.add(task.kind() == TaskEvent.Task.PREPARE ? prepareTask(job, task) : stitchTask(job, task));
            }
        }
        return new Followup(false, tasks, null);
    }

    private Duration backoff(int attemptNumber) {
        return RetryPolicy.backoff(attemptNumber, config.retryBackoff(), config.retryBackoffMax());
    }

    @Transactional
    public void failJob(UUID jobId, String reason) {
        fail(store.jobForUpdate(jobId).orElseThrow(), new Failure(Failure.CHUNKS, 500, reason));
    }

    /**
     * Counts a failure against the worker: for the job's blocklist (dispatch routes its chunks around a worker that
     * failed it farm.scheduling.job-failures-before-blocklist times), and farm-wide, where too many within the window
     * quarantine the worker until an operator releases it.
     */
    private void workerFailed(UUID jobId, String workerId, String error) {
        if (workerId == null) {
            return;
        }
        store.workerFailed(jobId, workerId, error);
        FarmConfig.Scheduling rules = config.scheduling();
        String quarantine = workers.failed(jobId, workerId, error, rules.quarantineFailures(), rules.quarantineWindow());
        if (quarantine != null) {
            metrics.counter("farm.workers.quarantined").increment();
            LOG.warnf("worker=%s quarantined: %s; it gets no work until an operator releases it (POST /api/v1/workers/%s/release)", workerId,
                    quarantine, workerId);
        }
    }

    private void fail(JobRow job, Failure failure) {
        if (job.state().isTerminal()) {
            return;
        }
        store.cancelLiveChunks(job.id());
        store.jobFailure(job.id(), failure);
        moveJob(job, JobState.FAILED, failure.message());
        LOG.warnf("job=%s failed (%s check): %s", job.id(), failure.check(), failure.message());
    }

    private PrepareTask prepareTask(JobRow job, TaskRow task) {
        return new PrepareTask(job.id().toString(), task.id().toString(), task.number(), job.owner().tenant(), job.submission().inputs(), job.submission().options(),
                new JobLimits(config.limits().maxFrames(), config.limits().maxChunks()), job.placement().epoch());
    }

    private StitchTask stitchTask(JobRow job, TaskRow task) {
        List<StitchTask.Part> parts = store.chunks(job.id()).stream().map(c -> new StitchTask.Part(c.outputKey(), c.owned().length())).toList();
        return new StitchTask(job.id().toString(), task.id().toString(), task.number(), parts, job.audioSourceKey(), job.audioKey() != null,
                job.folder().output(task.id().toString(), job.outputFormat()), encoding(job), job.framesTotal(), job.fpsNumerator(),
                job.fpsDenominator(), job.placement().epoch(), policy.renderRecord(job));
    }

    private static VideoEncoding encoding(JobRow job) {
        return VideoEncoding.of(job.outputFormat(), job.submission().options().videoBitrate(), job.width(), job.height(), job.fpsNumerator(),
                job.fpsDenominator());
    }

    private static String chunkKeyPattern(JobRow job, int chunkIndex) {
        return job.folder().chunk(chunkIndex, "{attempt}", "mkv");
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
        if (target.isTerminal()) {
            metrics.counter("farm.jobs.finished", "state", target.name()).increment();
            config.notifications().url().ifPresent(url -> store.queueNotification(job.id(), url, target.name()));
            String own = job.submission().options().webhookUrl();
            if (own != null) {
                store.queueNotification(job.id(), own, target.name());
            }
        }
    }

    private ChunkOffer offer(JobRow job, ChunkRow chunk, AttemptRow attempt, String workerId) {
        return new ChunkOffer(job.id().toString(), chunk.index(), attempt.id().toString(), attempt.number(), chunk.owned(), chunk.decoded(),
                chunk.seek(), job.framesTotal(), job.fpsNumerator(), job.fpsDenominator(), job.width(), job.height(), job.targetKey(),
                job.sourceKeys(), job.processors(), attempt.outputKey(), job.analysis().options(), job.analysis().referenceEmbedding(),
                job.analysis().processorOptions(), job.audioKey(), job.targetFrames(), encoding(job), workerId, job.placement().epoch(),
                job.folder().attemptLog(chunk.index(), attempt.id().toString()), job.folder().attemptPreview(chunk.index(), attempt.id().toString()),
                policy.finish(job));
    }
}
