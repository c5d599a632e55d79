package facefarm.coordinator.jobs;

import facefarm.common.jobs.AttemptState;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.JobAction;
import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.JobInputs;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.PreparedJob;
import facefarm.common.jobs.StageTimings;
import facefarm.common.jobs.TaskStatus;
import facefarm.common.messaging.Fence;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.common.planning.ChunkPlan;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.coordinator.access.Caller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for jobs, chunks, attempts and workers. Callers hold the transaction (@Transactional); row locks
 * ({@code for update}) serialise concurrent events for the same chunk.
 */
@ApplicationScoped
public class JobStore {
    private static final String LIST_SEPARATOR = "\n";
    /** The states that end a job, as an SQL list, from {@link JobState#isTerminal()}: ('DONE', 'FAILED', 'CANCELLED'). */
    static final String TERMINAL = java.util.Arrays.stream(JobState.values()).filter(JobState::isTerminal).map(state -> "'" + state.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    @Inject
    Sql db;

    /** Stores a job as submitted (PREPARING): what it reads and how; its picture and timeline come from its prepare task. */
    public void insertJob(JobRow job) {
        db.execute("""
                insert into jobs (id, state, target_name, target_key, source_keys, processors, output_format, frames_total, fps_num,
                                  fps_den, width, height, video_codec, has_audio, chunk_frames, warmup, lookahead, probe_ms, analysis,
                                  audio_key, target_frames, inputs, options, tenant, submitted_by, priority, required_tags)
                values (?, ?, ?, ?, ?, ?, ?, 0, 1, 1, 0, 0, '', false, ?, 0, 0, 0, ?, ?, 0, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, job.id());
            ps.setString(2, job.state().name());
            ps.setString(3, job.targetName());
            ps.setString(4, job.targetKey());
            ps.setString(5, String.join(LIST_SEPARATOR, job.sourceKeys()));
            ps.setString(6, String.join(LIST_SEPARATOR, job.processors()));
            ps.setString(7, job.outputFormat());
            ps.setInt(8, job.chunkFrames());
            ps.setString(9, json(job.analysis()));
            ps.setString(10, job.audioKey());
            ps.setString(11, json(job.submission().inputs()));
            ps.setString(12, json(job.submission().options()));
            ps.setString(13, job.owner().tenant());
            ps.setString(14, job.owner().submittedBy());
            ps.setInt(15, job.placement().priority());
            ps.setString(16, String.join(LIST_SEPARATOR, job.placement().requiredTags()));
            return ps.executeUpdate();
        });
    }

    /** Fills in what the prepare task learned and stores the job's chunks. */
    public void jobPrepared(UUID jobId, PreparedJob prepared) {
        db.execute("""
                update jobs set frames_total = ?, target_frames = ?, fps_num = ?, fps_den = ?, width = ?, height = ?, video_codec = ?,
                  has_audio = ?, processors = ?, analysis = ?, warmup = ?, lookahead = ?, probe_ms = ?, sound_key = ?, updated_at = now()
                where id = ?""", ps -> {
            PreparedJob.Timeline t = prepared.timeline();
            ps.setLong(1, t.frames());
            ps.setLong(2, t.targetFrames());
            ps.setInt(3, t.fpsNumerator());
            ps.setInt(4, t.fpsDenominator());
            ps.setInt(5, prepared.picture().width());
            ps.setInt(6, prepared.picture().height());
            ps.setString(7, prepared.picture().videoCodec());
            ps.setBoolean(8, prepared.hasAudio());
            ps.setString(9, String.join(LIST_SEPARATOR, prepared.processors()));
            ps.setString(10, json(prepared.analysis()));
            ps.setInt(11, prepared.warmup());
            ps.setInt(12, prepared.lookahead());
            ps.setLong(13, prepared.probeMs());
            ps.setString(14, prepared.soundKey());
            ps.setObject(15, jobId);
            return ps.executeUpdate();
        });
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into chunks (job_id, idx, own_start, own_end, dec_start, dec_end, seek_index, seek_ts, state)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (ChunkPlan chunk : prepared.chunks()) {
                ps.setObject(1, jobId);
                ps.setInt(2, chunk.index());
                ps.setLong(3, chunk.owned().start());
                ps.setLong(4, chunk.owned().end());
                ps.setLong(5, chunk.decoded().start());
                ps.setLong(6, chunk.decoded().end());
                ps.setLong(7, chunk.seek().index());
                ps.setLong(8, chunk.seek().timestampMicros());
                ps.setString(9, ChunkState.OFFERED.name());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the chunks of job " + jobId, e);
        }
    }

    /** Starts a new attempt at the job's prepare or stitch task and makes it the current one: earlier ones are fenced off. */
    public TaskRow newTask(UUID jobId, TaskEvent.Task kind) {
        return newTask(jobId, kind, Duration.ZERO);
    }

    /** A new current task of the job, to be offered after {@code delay} (a retry's backoff). */
    public TaskRow newTask(UUID jobId, TaskEvent.Task kind, Duration delay) {
        UUID id = UUID.randomUUID();
        int number = db.query("select count(*) + 1 from tasks where job_id = ? and kind = ?", ps -> {
            ps.setObject(1, jobId);
            ps.setString(2, kind.name());
        }, rs -> rs.getInt(1)).get(0);
        db.execute("insert into tasks (id, job_id, kind, number, state, not_before) values (?, ?, ?, ?, 'OFFERED', now() + ? * interval '1 millisecond')", ps -> {
            ps.setObject(1, id);
            ps.setObject(2, jobId);
            ps.setString(3, kind.name());
            ps.setInt(4, number);
            ps.setLong(5, delay.toMillis());
            return ps.executeUpdate();
        });
        db.update("update jobs set current_task = ?, updated_at = now() where id = ?", id, jobId);
        return new TaskRow(id, jobId, kind, number, AttemptState.OFFERED, null);
    }

    public Optional<TaskRow> task(UUID id) {
        return db.query("select * from tasks where id = ?", ps -> ps.setObject(1, id), JobStore::taskRow).stream().findFirst();
    }

    public void taskSeen(UUID id, String workerId) {
        db.update("update tasks set state = case when state = 'OFFERED' then 'RUNNING' else state end, worker_id = coalesce(?, worker_id), "
                + "last_seen_at = now() where id = ? and state in ('OFFERED', 'RUNNING')", workerId, id);
    }

    public void taskEnded(UUID id, AttemptState state, String error) {
        db.update("update tasks set state = ?, error = ?, finished_at = now() where id = ?", state.name(), error, id);
    }

    /** Current prepare and stitch attempts that went quiet, like {@link #silentAttempts}. */
    public List<TaskRow> silentTasks(Duration heartbeatTimeout, Duration offerTimeout) {
        return db.query("""
                select t.* from tasks t join jobs j on j.current_task = t.id
                where """ + silent("t"), ps -> {
            ps.setLong(1, heartbeatTimeout.toMillis());
            ps.setLong(2, offerTimeout.toMillis());
        }, JobStore::taskRow);
    }

    /** Whether the task is still live and silent past the timeouts, read after its job was locked. */
    public boolean taskStillSilent(UUID id, Duration heartbeatTimeout, Duration offerTimeout) {
        return stillSilent("tasks", id, heartbeatTimeout, offerTimeout);
    }

    /** Every prepare and stitch attempt of a job, oldest first. */
    public List<TaskStatus> tasks(UUID jobId) {
        return db.query("select * from tasks where job_id = ? order by offered_at, number", ps -> ps.setObject(1, jobId),
                rs -> new TaskStatus(rs.getString("kind").toLowerCase(java.util.Locale.ROOT), rs.getInt("number"), rs.getString("id"),
                        AttemptState.valueOf(rs.getString("state")), rs.getString("worker_id"), rs.getString("error"), instant(rs, "offered_at"),
                        instant(rs, "finished_at")));
    }

    public void jobFailure(UUID jobId, Failure failure) {
        db.update("update jobs set failure = ? where id = ?", json(failure), jobId);
    }

    public void addBytesRead(UUID jobId, UUID attemptId, long bytes) {
        db.update("update jobs set bytes_read = bytes_read + ? where id = ?", bytes, jobId);
        db.update("update attempts set bytes_read = ? where id = ?", bytes, attemptId);
    }

    private static TaskRow taskRow(ResultSet rs) throws SQLException {
        return new TaskRow(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class), TaskEvent.Task.valueOf(rs.getString("kind")),
                rs.getInt("number"), AttemptState.valueOf(rs.getString("state")), rs.getString("worker_id"));
    }

    /** Counts a hand-back of the chunk's current attempt, which the retry budget leaves out. */
    public void chunkReleased(UUID jobId, int chunkIndex) {
        db.update("update chunks set released = released + 1 where job_id = ? and idx = ?", jobId, chunkIndex);
    }

    /** Starts a new attempt at a chunk and makes it the current one: earlier attempts are fenced off from here on. */
    public AttemptRow newAttempt(UUID jobId, int chunkIndex, String outputKeyPattern) {
        return newAttempt(jobId, chunkIndex, outputKeyPattern, Duration.ZERO);
    }

    /** A new current attempt at the chunk, to be offered after {@code delay} (a retry's backoff). */
    public AttemptRow newAttempt(UUID jobId, int chunkIndex, String outputKeyPattern, Duration delay) {
        UUID attemptId = UUID.randomUUID();
        String outputKey = outputKeyPattern.replace("{attempt}", attemptId.toString());
        int number = db.query("update chunks set attempts = attempts + 1, current_attempt = ?, state = 'OFFERED', output_key = null "
                + "where job_id = ? and idx = ? returning attempts", ps -> {
            ps.setObject(1, attemptId);
            ps.setObject(2, jobId);
            ps.setInt(3, chunkIndex);
        }, rs -> rs.getInt(1)).get(0);
        db.execute("insert into attempts (id, job_id, chunk_idx, number, state, output_key, not_before) "
                + "values (?, ?, ?, ?, 'OFFERED', ?, now() + ? * interval '1 millisecond')", ps -> {
            ps.setObject(1, attemptId);
            ps.setObject(2, jobId);
            ps.setInt(3, chunkIndex);
            ps.setInt(4, number);
            ps.setString(5, outputKey);
            ps.setLong(6, delay.toMillis());
            return ps.executeUpdate();
        });
        return new AttemptRow(attemptId, jobId, chunkIndex, number, AttemptState.OFFERED, null, outputKey, null);
    }

    public Optional<JobRow> job(UUID id) {
        return db.query("select * from jobs where id = ?", ps -> ps.setObject(1, id), JobStore::jobRow).stream().findFirst();
    }

    public Optional<JobRow> jobForUpdate(UUID id) {
        return db.query("select * from jobs where id = ? for update", ps -> ps.setObject(1, id), JobStore::jobRow).stream().findFirst();
    }

    /** The newest jobs {@code caller} may see: all for an operator, the tenant's for a viewer, its own for a submitter. */
    public List<JobRow> jobs(int limit, Caller caller) {
        return db.query("select * from jobs where " + visibleTo(caller) + " order by created_at desc limit ?", ps -> {
            int i = bindCaller(ps, 1, caller);
            ps.setInt(i, limit);
        }, JobStore::jobRow);
    }

    /** The jobs {@code caller} may see whose id starts with {@code prefix} (hex digits and dashes only), at most 10. */
    public List<JobRow> jobsWithIdPrefix(String prefix, Caller caller) {
        if (!prefix.matches("[0-9a-f-]+")) {
            throw new IllegalArgumentException("a job id prefix is hex digits and dashes, not '" + prefix + "'");
        }
        return db.query("select * from jobs where id::text like ? and " + visibleTo(caller) + " order by created_at desc limit 10", ps -> {
            ps.setString(1, prefix + "%");
            bindCaller(ps, 2, caller);
        }, JobStore::jobRow);
    }

    private static String visibleTo(Caller caller) {
        return switch (caller.role()) {
            case OPERATOR -> "true";
            case VIEWER -> "tenant = ?";
            case SUBMITTER -> "tenant = ? and submitted_by = ?";
        };
    }

    /** Binds {@link #visibleTo}'s parameters from index {@code i}; returns the next free index. */
    private static int bindCaller(java.sql.PreparedStatement ps, int i, Caller caller) throws java.sql.SQLException {
        if (caller.role() != Role.OPERATOR) {
            ps.setString(i++, caller.tenant());
        }
        if (caller.role() == Role.SUBMITTER) {
            ps.setString(i++, caller.name());
        }
        return i;
    }

    public List<JobRow> jobsIn(JobState state) {
        return db.query("select * from jobs where state = ?", ps -> ps.setString(1, state.name()), JobStore::jobRow);
    }

    public List<ChunkRow> chunks(UUID jobId) {
        return db.query("""
                select c.*, a.worker_id, coalesce(a.frames_done, 0) as frames_done, coalesce(a.fps, 0) as fps,
                  coalesce(a.bytes_read, 0) as bytes_read
                from chunks c left join attempts a on a.id = c.current_attempt
                where c.job_id = ? order by c.idx""", ps -> ps.setObject(1, jobId), JobStore::chunkRow);
    }

    public Optional<ChunkRow> chunkForUpdate(UUID jobId, int index) {
        return db.query("""
                select c.*, null as worker_id, 0 as frames_done, 0 as fps, 0 as bytes_read from chunks c
                where c.job_id = ? and c.idx = ? for update""", ps -> {
            ps.setObject(1, jobId);
            ps.setInt(2, index);
        }, JobStore::chunkRow).stream().findFirst();
    }

    public Optional<AttemptRow> attempt(UUID attemptId) {
        return db.query("select * from attempts where id = ?", ps -> ps.setObject(1, attemptId), JobStore::attemptRow).stream().findFirst();
    }

    public void attemptStarted(UUID attemptId, String workerId) {
        db.update("update attempts set state = 'RUNNING', worker_id = ?, started_at = now(), last_seen_at = now() where id = ?", workerId, attemptId);
    }

    public void attemptProgress(UUID attemptId, String workerId, long framesDone, double fps) {
        db.update("update attempts set worker_id = ?, frames_done = ?, fps = ?, last_seen_at = now(), "
                + "state = case when state = 'OFFERED' then 'RUNNING' else state end where id = ?", workerId, framesDone, fps, attemptId);
    }

    public void attemptEnded(UUID attemptId, AttemptState state, long framesDone, String error) {
        db.update("update attempts set state = ?, frames_done = greatest(frames_done, ?), error = ?, finished_at = now() where id = ?",
                state.name(), framesDone, error, attemptId);
    }

    public void chunkState(UUID jobId, int index, ChunkState state, String outputKey, String error) {
        db.update("update chunks set state = ?, output_key = coalesce(?, output_key), error = ? where job_id = ? and idx = ?",
                state.name(), outputKey, error, jobId, index);
    }

    /** Ends whatever of the job is still live: its chunks, their attempts, and its prepare or stitch task. */
    public void cancelLiveChunks(UUID jobId) {
        db.update("update chunks set state = 'CANCELLED' where job_id = ? and state in ('OFFERED', 'RUNNING')", jobId);
        db.update("update attempts set state = 'CANCELLED', finished_at = now() where job_id = ? and state in ('OFFERED', 'RUNNING')", jobId);
        db.update("update tasks set state = 'CANCELLED', finished_at = now() where job_id = ? and state in ('OFFERED', 'RUNNING')", jobId);
    }

    /** A webhook call to make about the job (its end), in the same transaction as the change it reports. */
    public void queueNotification(UUID jobId, String url, String event) {
        db.update("insert into notifications (job_id, url, event) values (?, ?, ?)", jobId, url, event);
    }

    /** A webhook call due now: never delivered, attempts left, its backoff passed. */
    public record Notification(long id, UUID jobId, String url, String event, int attempts) {
    }

    public List<Notification> dueNotifications(int maxAttempts, int limit) {
        return db.query("select id, job_id, url, event, attempts from notifications where delivered_at is null and attempts < ? and next_at <= now() "
                + "order by id limit ?", ps -> {
                    ps.setInt(1, maxAttempts);
                    ps.setInt(2, limit);
                }, rs -> new Notification(rs.getLong("id"), rs.getObject("job_id", UUID.class), rs.getString("url"), rs.getString("event"),
                        rs.getInt("attempts")));
    }

    /** Records one call: delivered (a 2xx), or failed with the next try after {@code retryIn}. */
    public void notificationTried(long id, Integer status, String error, boolean delivered, Duration retryIn) {
        db.update("update notifications set attempts = attempts + 1, last_status = ?, last_error = ?, last_at = now(), "
                + "delivered_at = case when ? then now() end, next_at = now() + ? * interval '1 millisecond' where id = ?",
                status, error, delivered, retryIn.toMillis(), id);
    }

    /** The job's webhook calls and how they went, for its status page. */
    public List<Map<String, Object>> notifications(UUID jobId) {
        return db.query("select event, url, attempts, last_status, last_error, last_at, delivered_at from notifications where job_id = ? order by id",
                ps -> ps.setObject(1, jobId), rs -> {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("event", rs.getString("event"));
                    row.put("url", rs.getString("url"));
                    row.put("attempts", rs.getInt("attempts"));
                    row.put("lastStatus", rs.getObject("last_status"));
                    row.put("lastError", rs.getString("last_error"));
                    row.put("lastAt", rs.getTimestamp("last_at") == null ? null : rs.getTimestamp("last_at").toInstant());
                    row.put("deliveredAt", rs.getTimestamp("delivered_at") == null ? null : rs.getTimestamp("delivered_at").toInstant());
                    return row;
                });
    }

    /** Records an action on the job in its history. */
    public void recordAction(UUID jobId, String action, String actor, String detail) {
        db.update("insert into job_actions (job_id, action, actor, detail) values (?, ?, ?, ?)", jobId, action, actor, detail);
    }

    /** The job's history, oldest first. */
    public List<JobAction> actions(UUID jobId) {
        return db.query("select action, actor, at, detail from job_actions where job_id = ? order by id", ps -> ps.setObject(1, jobId),
                rs -> new JobAction(rs.getString("action"), rs.getString("actor"), rs.getTimestamp("at").toInstant(), rs.getString("detail")));
    }

    public Map<ChunkState, Integer> chunkCounts(UUID jobId) {
        Map<ChunkState, Integer> counts = new EnumMap<>(ChunkState.class);
        db.query("select state, count(*) from chunks where job_id = ? group by state", ps -> ps.setObject(1, jobId),
                rs -> counts.put(ChunkState.valueOf(rs.getString(1)), rs.getInt(2)));
        return counts;
    }

    /** Frames finished: all of each done chunk plus what running attempts reported. */
    public long framesDone(UUID jobId) {
        return db.query("""
                select coalesce(sum(case when c.state = 'DONE' then c.own_end - c.own_start
                                         when a.state in ('OFFERED', 'RUNNING') then least(a.frames_done, c.own_end - c.own_start)
                                         else 0 end), 0)
                from chunks c left join attempts a on a.id = c.current_attempt where c.job_id = ?""",
                ps -> ps.setObject(1, jobId), rs -> rs.getLong(1)).get(0);
    }

    public void jobState(UUID jobId, JobState state, String error) {
        db.update("update jobs set state = ?, error = coalesce(?, error), updated_at = now(), "
                + "finished_at = case when ? in " + TERMINAL + " then now() end where id = ?",
                state.name(), error, state.name(), jobId);
    }

    /**
     * Starts a new run of an ended job: its epoch rises (the fences of the earlier run do not stop this one), its error
     * is cleared, and its end will be fenced again.
     */
    public void reopen(UUID jobId) {
        db.update("update jobs set epoch = epoch + 1, error = null, failure = null, fenced_at = null, waiting_for = null, updated_at = now() where id = ?",
                jobId);
    }

    /** The chunk's retry budget starts again (a retried job or chunk): attempts so far no longer count. */
    public void freshBudget(UUID jobId, int chunkIndex) {
        db.update("update chunks set attempts_before_retry = attempts - released, error = null where job_id = ? and idx = ?", jobId, chunkIndex);
    }

    public void jobOutput(UUID jobId, TaskEvent.Stitched stitched) {
        db.update("update jobs set output_key = ?, stitch_ms = ?, intermediate_bytes = ?, output_bytes = ?, updated_at = now() where id = ?",
                stitched.outputKey(), stitched.stitchMs(), stitched.chunkBytes(), stitched.bytes(), jobId);
    }

    public void addTimings(UUID jobId, StageTimings t) {
        db.update("update jobs set decode_ms = decode_ms + ?, process_ms = process_ms + ?, encode_ms = encode_ms + ?, "
                + "transfer_ms = transfer_ms + ?, updated_at = now() where id = ?", t.decodeMs(), t.processMs(), t.encodeMs(), t.transferMs(), jobId);
    }

    public void touchJob(UUID jobId) {
        db.update("update jobs set updated_at = now() where id = ?", jobId);
    }

    public void workerFailed(UUID jobId, String workerId, String error) {
        if (workerId == null) {
            return;
        }
        db.update("""
                insert into job_failed_workers (job_id, worker_id, last_error) values (?, ?, ?)
                on conflict (job_id, worker_id) do update set failures = job_failed_workers.failures + 1, last_error = excluded.last_error""",
                jobId, workerId, error);
    }

    public List<String> failedWorkers(UUID jobId) {
        return db.query("select worker_id from job_failed_workers where job_id = ? order by worker_id", ps -> ps.setObject(1, jobId), rs -> rs.getString(1));
    }

    /** Live attempts that have gone quiet: running ones past the heartbeat timeout, offered ones past the offer timeout. */
    public List<AttemptRow> silentAttempts(Duration heartbeatTimeout, Duration offerTimeout) {
        return db.query("""
                select a.* from attempts a join chunks c on c.current_attempt = a.id
                where """ + silent("a"), ps -> {
            ps.setLong(1, heartbeatTimeout.toMillis());
            ps.setLong(2, offerTimeout.toMillis());
        }, JobStore::attemptRow);
    }

    /** Whether the attempt is still live and silent past the timeouts, read after its job and chunk were locked. */
    public boolean attemptStillSilent(UUID id, Duration heartbeatTimeout, Duration offerTimeout) {
        return stillSilent("attempts", id, heartbeatTimeout, offerTimeout);
    }

    /** @param table "tasks" or "attempts", whose rows share the columns the silence is read from */
    private boolean stillSilent(String table, UUID id, Duration heartbeatTimeout, Duration offerTimeout) {
        return !db.query("select 1 from " + table + " s where s.id = ? and " + silent("s"), ps -> {
            ps.setObject(1, id);
            ps.setLong(2, heartbeatTimeout.toMillis());
            ps.setLong(3, offerTimeout.toMillis());
        }, rs -> 1).isEmpty();
    }

    /** A live row gone quiet, on the database's clock: running past the heartbeat timeout, or sent and not taken. */
    private static String silent(String alias) {
        return ("((%1$s.state = 'RUNNING' and %1$s.last_seen_at < now() - ? * interval '1 millisecond')"
                + " or (%1$s.state = 'OFFERED' and %1$s.published_at < now() - ? * interval '1 millisecond'))").formatted(alias);
    }

    /** An offer the broker acknowledged on {@code partition} of its worker. */
    public void offerSent(UUID id, int partition) {
        db.update("update attempts set published_at = coalesce(published_at, now()), offer_partition = ? where id = ?", partition, id);
    }

    /** An offer sent to a worker and not started yet: where it was sent. */
    public record SentOffer(UUID attemptId, UUID jobId, int chunkIndex, String worker, int partition) {
    }

    public List<SentOffer> sentOffers() {
        return db.query("""
                select a.id, a.job_id, a.chunk_idx, a.assigned_worker, a.offer_partition from attempts a join chunks c on c.current_attempt = a.id
                where a.state = 'OFFERED' and a.published_at is not null and a.offer_partition is not null""", ps -> { },
                rs -> new SentOffer(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4), rs.getInt(5)));
    }

    public void taskPublished(UUID id) {
        db.update("update tasks set published_at = coalesce(published_at, now()) where id = ?", id);
    }

    /** A chunk's current attempt waiting to be sent, with what dispatch matches it by. */
    public record Queued(UUID attemptId, UUID jobId, int chunkIndex, int priority, List<String> requiredTags) {
    }

    /**
     * Attempts of running jobs not sent yet whose backoff has passed, in dispatch order: higher priority first, then
     * older jobs, then chunk order.
     */
    public List<Queued> queued(int limit) {
        return db.query("""
                select a.id, a.job_id, a.chunk_idx, j.priority, j.required_tags
                from attempts a join chunks c on c.current_attempt = a.id join jobs j on j.id = a.job_id
                where a.state = 'OFFERED' and a.published_at is null and a.not_before <= now() and j.state = 'RUNNING'
                order by j.priority desc, j.created_at, j.id, a.chunk_idx limit ?""", ps -> ps.setInt(1, limit),
                rs -> new Queued(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class), rs.getInt("chunk_idx"), rs.getInt("priority"),
                        split(rs.getString("required_tags"))));
    }

    /** Every attempt at one chunk ({@code chunkIndex}), or at all of them (null), in chunk and attempt order; logs are {@link JobViews}'. */
    public List<facefarm.common.jobs.AttemptStatus> attempts(UUID jobId, Integer chunkIndex) {
        return db.query("select * from attempts where job_id = ? and (?::int is null or chunk_idx = ?) order by chunk_idx, number", ps -> {
            ps.setObject(1, jobId);
            ps.setObject(2, chunkIndex, java.sql.Types.INTEGER);
            ps.setObject(3, chunkIndex, java.sql.Types.INTEGER);
        }, rs -> new facefarm.common.jobs.AttemptStatus(rs.getInt("chunk_idx"), rs.getInt("number"), rs.getString("id"), AttemptState.valueOf(rs.getString("state")),
                rs.getString("assigned_worker"), rs.getString("worker_id"), rs.getLong("frames_done"), rs.getDouble("fps"), rs.getString("error"),
                new facefarm.common.jobs.AttemptStatus.Times(instant(rs, "offered_at"), instant(rs, "started_at"), instant(rs, "finished_at")), null, null));
    }

    /** The chunk and attempt of the job's most recently finished chunk still current, for its preview; empty before one. */
    public Optional<String[]> latestFinishedAttempt(UUID jobId) {
        return db.query("""
                select c.idx, a.id from chunks c join attempts a on a.id = c.current_attempt
                where c.job_id = ? and c.state = 'DONE' order by a.finished_at desc nulls last limit 1""", ps -> ps.setObject(1, jobId),
                rs -> new String[] {Integer.toString(rs.getInt(1)), rs.getString(2)}).stream().findFirst();
    }

    /** How long the attempt has run since it started on a worker (0 if it never did). */
    public double attemptSeconds(UUID attemptId) {
        return db.query("select coalesce(extract(epoch from (now() - started_at)), 0) from attempts where id = ?", ps -> ps.setObject(1, attemptId),
                rs -> rs.getDouble(1)).stream().findFirst().orElse(0.0);
    }

    /** Jobs by state, chunks by state, and queued chunks (sent to no worker yet), for the farm's gauges. */
    public record Counts(Map<String, Long> jobs, Map<String, Long> chunks, long queued) {
    }

    public Counts counts() {
        Map<String, Long> jobs = new java.util.HashMap<>();
        db.query("select state, count(*) from jobs group by state", ps -> { }, rs -> jobs.put(rs.getString(1), rs.getLong(2)));
        Map<String, Long> chunks = new java.util.HashMap<>();
        db.query("select c.state, count(*) from chunks c join jobs j on j.id = c.job_id where j.state not in " + TERMINAL + " group by c.state",
                ps -> { }, rs -> chunks.put(rs.getString(1), rs.getLong(2)));
        long queued = db.query("select count(*) from attempts a join chunks c on c.current_attempt = a.id join jobs j on j.id = a.job_id "
                + "where a.state = 'OFFERED' and a.published_at is null and j.state = 'RUNNING'", ps -> { }, rs -> rs.getLong(1)).get(0);
        return new Counts(jobs, chunks, queued);
    }

    /** The worker dispatch chose for the attempt's offer. */
    public void attemptAssigned(UUID attemptId, String workerId) {
        db.update("update attempts set assigned_worker = ? where id = ?", workerId, attemptId);
    }

    /** Offers sent to workers that are no longer live and never started: handed back without cost, to go elsewhere. */
    public List<AttemptRow> strandedOffers(Duration heartbeatTimeout) {
        return db.query("""
                select a.* from attempts a join chunks c on c.current_attempt = a.id
                where a.state = 'OFFERED' and a.published_at is not null and a.assigned_worker is not null
                  and not exists (select 1 from workers w where w.id = a.assigned_worker and w.last_seen_at >= now() - ? * interval '1 millisecond')""",
                ps -> ps.setLong(1, heartbeatTimeout.toMillis()), JobStore::attemptRow);
    }

    /** Why no live worker can take the job's chunks, or null once one can; written only when it changes. */
    public void waitingFor(UUID jobId, String reason) {
        db.update("update jobs set waiting_for = ? where id = ? and waiting_for is distinct from ?", reason, jobId, reason);
    }

    /** Clears the reason of every job that has nothing waiting any more. */
    public void nothingWaitingExcept(java.util.Collection<UUID> waiting) {
        db.execute("update jobs set waiting_for = null where waiting_for is not null and not (id = any(?))", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("uuid", waiting.toArray()));
            return ps.executeUpdate();
        });
    }

    /** A new priority for the job's chunks still to be sent. */
    public void priority(UUID jobId, int priority) {
        db.update("update jobs set priority = ?, updated_at = now() where id = ?", priority, jobId);
    }

    public List<TaskRow> unpublishedTasks(Duration grace) {
        return db.query("select t.* from tasks t join jobs j on j.current_task = t.id where " + due("t"),
                ps -> ps.setLong(1, grace.toMillis()), JobStore::taskRow);
    }

    /** An offered row not sent yet whose backoff has passed, or whose send after its commit is overdue by the grace. */
    private static String due(String alias) {
        return ("%1$s.state = 'OFFERED' and %1$s.published_at is null and %1$s.not_before <= now()"
                + " and (%1$s.not_before > %1$s.offered_at or %1$s.offered_at < now() - ? * interval '1 millisecond')").formatted(alias);
    }

    /** Read again once the job and chunk are locked: still offered and not yet sent. */
    public boolean attemptUnpublished(UUID id) {
        return !db.query("select 1 from attempts where id = ? and state = 'OFFERED' and published_at is null", ps -> ps.setObject(1, id), rs -> 1).isEmpty();
    }

    /** Read again once the job is locked: still offered and not yet sent. */
    public boolean taskUnpublished(UUID id) {
        return !db.query("select 1 from tasks where id = ? and state = 'OFFERED' and published_at is null", ps -> ps.setObject(1, id), rs -> 1).isEmpty();
    }

    /**
     * Whether any worker's heartbeat arrived within the timeout. When none did, the coordinator itself is cut off (it
     * was down, or the broker was), and silence says nothing about the workers.
     */
    public boolean heardFromWorkersWithin(Duration heartbeatTimeout) {
        return !db.query("select 1 from workers where last_seen_at >= now() - ? * interval '1 millisecond' limit 1",
                ps -> ps.setLong(1, heartbeatTimeout.toMillis()), rs -> 1).isEmpty();
    }

    public void heartbeat(WorkerHeartbeat beat) {
        UUID attempt = uuidOrNull(beat.currentAttemptId());
        // an attempt is alive while its worker's heartbeats name it, whatever stage it is in (download, model
        // loading, warm-up, upload) and whether or not its events get through; marked before the worker, so the
        // reaper never sees the worker heard from and its attempt still stale
        if (attempt != null && beat.currentChunk() == null) {
            taskSeen(attempt, beat.workerId());
        } else if (attempt != null) {
            db.update("update attempts set last_seen_at = now() where id = ? and worker_id = ? and state = 'RUNNING'", attempt, beat.workerId());
        }
        // attempts the worker finished and reported, whose events have not been handled yet: they are not lost
        UUID[] reported = beat.reportedAttempts().stream().map(JobStore::uuidOrNull).filter(java.util.Objects::nonNull).toArray(UUID[]::new);
        if (reported.length > 0) {
            for (String table : List.of("attempts", "tasks")) {
                db.execute("update " + table + " set last_seen_at = now() where id = any(?) and worker_id = ? and state = 'RUNNING'", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("uuid", reported));
                    ps.setString(2, beat.workerId());
                    return ps.executeUpdate();
                });
            }
        }
        WorkerHeartbeat.Accelerator accelerator = beat.accelerator();
        db.update("""
                insert into workers (id, host, device, models, fps, current_job, current_chunk, chunks_completed, last_seen_at, idle_since,
                  execution_provider, video_encoder, accelerator_note, tags, stopping)
                values (?, ?, ?, ?, ?, ?, ?, ?, now(), case when ?::text is null then now() end, ?, ?, ?, ?, ?)
                on conflict (id) do update set host = excluded.host, device = excluded.device, models = excluded.models, fps = excluded.fps,
                  tags = excluded.tags, stopping = excluded.stopping,
                  execution_provider = excluded.execution_provider, video_encoder = excluded.video_encoder,
                  accelerator_note = excluded.accelerator_note,
                  current_job = excluded.current_job, current_chunk = excluded.current_chunk,
                  chunks_completed = excluded.chunks_completed, last_seen_at = now(),
                  idle_since = case when excluded.current_job is null then coalesce(workers.idle_since, now()) end""",
                beat.workerId(), beat.host(), beat.device(), String.join(",", beat.modelsLoaded()), beat.framesPerSecond(),
                beat.currentJobId(), beat.currentChunk(), beat.chunksCompleted(), beat.currentJobId(),
                accelerator == null ? null : accelerator.executionProvider(), accelerator == null ? null : accelerator.videoEncoder(),
                accelerator == null ? null : accelerator.note(), String.join(",", beat.tags()), beat.stopping());
    }

    /**
     * Whether a live worker has had no work for longer than {@code idle}. Only then is an offer that waits past the offer
     * timeout suspect (lost, or stuck behind a partition); while every worker is busy it is simply queued.
     */
    public boolean workerIdleFor(Duration heartbeatTimeout, Duration idle) {
        return !db.query("""
                select 1 from workers where last_seen_at >= now() - ? * interval '1 millisecond'
                  and idle_since < now() - ? * interval '1 millisecond' limit 1""", ps -> {
            ps.setLong(1, heartbeatTimeout.toMillis());
            ps.setLong(2, idle.toMillis());
        }, rs -> 1).isEmpty();
    }

    private static UUID uuidOrNull(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What the retention sweeper removes from a job's folder, and which jobs' turn it is. */
    public enum Sweep {
        INPUTS("inputs_deleted_at", "state in " + TERMINAL),
        OUTPUTS("outputs_deleted_at", "state = 'DONE'"),
        FAILED_CHUNKS("chunks_deleted_at", "state = 'FAILED'");

        private final String column;
        private final String which;

        Sweep(String column, String which) {
            this.column = column;
            this.which = which;
        }
    }

    /** A job whose objects of one kind are past their retention. */
    public record Expired(UUID jobId, String tenant) {
    }

    public List<Expired> expired(Sweep sweep, Duration age, int limit) {
        return db.query("select id, tenant from jobs where " + sweep.which + " and " + sweep.column + " is null and finished_at < now() - ? * interval "
                + "'1 millisecond' order by finished_at limit ?", ps -> {
            ps.setLong(1, age.toMillis());
            ps.setInt(2, limit);
        }, rs -> new Expired(rs.getObject("id", UUID.class), rs.getString("tenant")));
    }

    /** Records the sweep; an output swept is gone, so the job no longer offers one. */
    public void swept(Sweep sweep, UUID jobId) {
        db.update("update jobs set " + sweep.column + " = now()" + (sweep == Sweep.OUTPUTS ? ", output_key = null" : "") + " where id = ?", jobId);
    }

    /** Every tenant with a job or a token. */
    public List<String> tenants() {
        return db.query("select tenant from jobs union select tenant from api_tokens", ps -> { }, rs -> rs.getString(1));
    }

    /** The input keys unfinished jobs read (the face map's reference photos too): uploads they refer to must stay, however old. */
    public java.util.Set<String> liveInputKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        db.query("select target_key, source_keys, audio_key, options from jobs where state not in " + TERMINAL, ps -> { }, rs -> {
            keys.add(rs.getString("target_key"));
            keys.addAll(split(rs.getString("source_keys")));
            keys.add(rs.getString("audio_key"));
            String options = rs.getString("options");
            JobOptions asked = options == null ? null : read(options, JobOptions.class);
            if (asked != null) {
                asked.referencePhotos().forEach(photo -> keys.add(photo.key()));
            }
            return null;
        });
        keys.remove(null);
        return keys;
    }

    /** Fences not yet on the fence topic: jobs that ended, and chunks whose newest attempt superseded an older one. */
    public List<Fence> unsentFences(int limit) {
        List<Fence> fences = new ArrayList<>(db.query("select id, epoch from jobs where fenced_at is null and state in " + TERMINAL + " limit ?",
                ps -> ps.setInt(1, limit), rs -> Fence.jobClosed(rs.getString("id"), rs.getInt("epoch"))));
        fences.addAll(db.query("select job_id, idx, attempts from chunks where attempts > fenced_attempt limit ?", ps -> ps.setInt(1, limit),
                rs -> Fence.chunk(rs.getString("job_id"), rs.getInt("idx"), rs.getInt("attempts"))));
        return fences;
    }

    /** Marks a fence sent, once the broker has it. */
    public void fenceSent(Fence fence) {
        if (fence.closed()) {
            db.update("update jobs set fenced_at = now() where id = ?", UUID.fromString(fence.jobId()));
        } else {
            db.update("update chunks set fenced_attempt = greatest(fenced_attempt, ?) where job_id = ? and idx = ?", fence.minAttempt(),
                    UUID.fromString(fence.jobId()), fence.chunkIndex());
        }
    }

    private static JobRow jobRow(ResultSet rs) throws SQLException {
        return new JobRow(rs.getObject("id", UUID.class), JobState.valueOf(rs.getString("state")), rs.getString("target_name"),
                rs.getString("target_key"), split(rs.getString("source_keys")), split(rs.getString("processors")), rs.getString("output_format"),
                rs.getLong("frames_total"), rs.getInt("fps_num"), rs.getInt("fps_den"), rs.getInt("width"), rs.getInt("height"),
                rs.getString("video_codec"), rs.getBoolean("has_audio"), rs.getInt("chunk_frames"), rs.getInt("warmup"), rs.getInt("lookahead"),
                analysis(rs.getString("analysis")),
                rs.getString("output_key"), rs.getString("error"),
                new StageTimings(rs.getLong("probe_ms"), rs.getLong("decode_ms"), rs.getLong("process_ms"), rs.getLong("encode_ms"),
                        rs.getLong("transfer_ms"), rs.getLong("stitch_ms")),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at"), rs.getString("audio_key"),
                rs.getLong("target_frames") > 0 ? rs.getLong("target_frames") : rs.getLong("frames_total"),
                new JobRow.Submission(read(rs.getString("inputs"), JobInputs.class), read(rs.getString("options"), JobOptions.class)),
                read(rs.getString("failure"), Failure.class), rs.getObject("current_task", UUID.class),
                new JobStatus.Sizes(rs.getLong("bytes_read"), rs.getLong("intermediate_bytes"), rs.getLong("output_bytes")),
                rs.getString("sound_key"), new JobRow.Owner(rs.getString("tenant"), rs.getString("submitted_by")),
                new JobRow.Placement(rs.getInt("priority"), split(rs.getString("required_tags")), rs.getString("waiting_for"), rs.getInt("epoch")));
    }

    private static String json(Object value) {
        try {
            return Messages.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a job's " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return Messages.JSON.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static JobAnalysis analysis(String json) throws SQLException {
        try {
            return Messages.JSON.readValue(json, JobAnalysis.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("stored job analysis is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static ChunkRow chunkRow(ResultSet rs) throws SQLException {
        return new ChunkRow(rs.getObject("job_id", UUID.class), rs.getInt("idx"), new FrameRange(rs.getLong("own_start"), rs.getLong("own_end")),
                new FrameRange(rs.getLong("dec_start"), rs.getLong("dec_end")), new Keyframe(rs.getLong("seek_index"), rs.getLong("seek_ts")),
                ChunkState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getInt("released") + rs.getInt("attempts_before_retry"),
                rs.getObject("current_attempt", UUID.class),
                rs.getString("output_key"), rs.getString("error"), rs.getString("worker_id"), rs.getLong("frames_done"), rs.getDouble("fps"),
                rs.getLong("bytes_read"));
    }

    private static AttemptRow attemptRow(ResultSet rs) throws SQLException {
        return new AttemptRow(rs.getObject("id", UUID.class), rs.getObject("job_id", UUID.class), rs.getInt("chunk_idx"), rs.getInt("number"),
                AttemptState.valueOf(rs.getString("state")), rs.getString("worker_id"), rs.getString("output_key"), rs.getString("assigned_worker"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(LIST_SEPARATOR));
    }
}
