package facefarm.coordinator.jobs;

import facefarm.coordinator.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for what the farm knows and decides about its workers: liveness, tags, failures, drain and quarantine. */
@ApplicationScoped
public class WorkerStore {
    @Inject
    Sql db;

    /**
     * A live worker as dispatch sees it: {@code outstanding} counts the offers sent to it and the chunks and tasks it
     * runs; {@code idleSince} orders the free ones (longest idle first).
     */
    public record Worker(String id, List<String> tags, int outstanding, boolean drained, boolean quarantined, boolean stopping, Instant idleSince) {
        /** Whether it may be given new work at all (an operator's drain or the farm's quarantine say no). */
        public boolean inService() {
            return !drained && !quarantined && !stopping;
        }
    }

    /** Workers whose heartbeat arrived within the timeout. */
    public List<Worker> live(Duration heartbeatTimeout) {
        return db.query("""
                select w.id, w.tags, w.drained_at is not null as drained, w.quarantined_at is not null as quarantined, w.idle_since,
                  (select count(*) from attempts a where a.state in ('OFFERED', 'RUNNING') and coalesce(a.worker_id, a.assigned_worker) = w.id
                     and (a.state = 'RUNNING' or a.published_at is not null))
                  + (select count(*) from tasks t where t.state = 'RUNNING' and t.worker_id = w.id) as outstanding, w.stopping
                from workers w where w.last_seen_at >= now() - ? * interval '1 millisecond' order by w.idle_since nulls last, w.id""",
                ps -> ps.setLong(1, heartbeatTimeout.toMillis()),
                rs -> new Worker(rs.getString("id"), tags(rs.getString("tags")), rs.getInt("outstanding"), rs.getBoolean("drained"),
                        rs.getBoolean("quarantined"), rs.getBoolean("stopping"), rs.getTimestamp("idle_since") == null ? null : rs.getTimestamp("idle_since").toInstant()));
    }

    /** Each worker's frames/s on its last chunk, 0 for one not heard from within the timeout (the gauges'). */
    public Map<String, Double> framesPerSecond(Duration heartbeatTimeout) {
        Map<String, Double> fps = new HashMap<>();
        db.query("select id, case when last_seen_at >= now() - ? * interval '1 millisecond' then fps else 0 end from workers",
                ps -> ps.setLong(1, heartbeatTimeout.toMillis()), rs -> fps.put(rs.getString(1), rs.getDouble(2)));
        return fps;
    }

    /** Failures of each worker on the job's chunks and tasks. */
    public Map<String, Integer> jobFailures(UUID jobId) {
        Map<String, Integer> failures = new HashMap<>();
        db.query("select worker_id, failures from job_failed_workers where job_id = ?", ps -> ps.setObject(1, jobId),
                rs -> failures.put(rs.getString(1), rs.getInt(2)));
        return failures;
    }

    /**
     * Records a failure of the worker; when it makes {@code threshold} failures within {@code window}, the worker is
     * quarantined (unless it already is).
     *
     * @return the quarantine's reason when this failure started one, else null
     */
    public String failed(UUID jobId, String workerId, String error, int threshold, Duration window) {
        db.update("insert into worker_failures (worker_id, job_id, error) values (?, ?, ?)", workerId, jobId, error);
        String reason = threshold + " failures within " + window.toMinutes() + " min; last: " + error;
        int quarantined = db.update("""
                update workers set quarantined_at = now(), quarantine_reason = ?
                where id = ? and quarantined_at is null
                  and (select count(*) from worker_failures f where f.worker_id = ? and f.at >= now() - ? * interval '1 millisecond') >= ?""",
                reason, workerId, workerId, window.toMillis(), threshold);
        return quarantined > 0 ? reason : null;
    }

    /** The worker handed back its own chunk because it is shutting down: it gets nothing more (its next life's heartbeats say otherwise). */
    public void stopping(String workerId) {
        db.update("update workers set stopping = true where id = ?", workerId);
    }

    /** An operator's drain: the worker finishes what it has and takes nothing new. False when no such worker. */
    public boolean drain(String workerId, String actor) {
        return db.update("update workers set drained_at = coalesce(drained_at, now()), drained_by = ? where id = ?", actor, workerId) > 0;
    }

    /**
     * Back into service: ends a drain and a quarantine; its failures before now no longer count towards another
     * quarantine. False when no such worker.
     */
    public boolean release(String workerId) {
        db.update("delete from worker_failures where worker_id = ?", workerId);
        return db.update("update workers set drained_at = null, drained_by = null, quarantined_at = null, quarantine_reason = null where id = ?",
                workerId) > 0;
    }

    /** Every worker the farm has heard from, for operators: what it computes with, what it is doing, how it is doing. */
    public List<Map<String, Object>> list(Duration heartbeatTimeout) {
        return db.query("""
                select w.*, w.last_seen_at >= now() - ? * interval '1 millisecond' as live,
                  (select count(*) from worker_failures f where f.worker_id = w.id) as failures,
                  (select coalesce(sum(a.frames_done), 0) from attempts a where a.worker_id = w.id and a.state = 'COMPLETED') as frames_rendered,
                  (select coalesce(sum(extract(epoch from (a.finished_at - a.started_at))), 0) from attempts a
                     where a.worker_id = w.id and a.started_at is not null and a.finished_at is not null) as busy_seconds
                from workers w order by w.id""", ps -> ps.setLong(1, heartbeatTimeout.toMillis()), rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getString("id"));
            row.put("host", rs.getString("host"));
            row.put("live", rs.getBoolean("live"));
            row.put("state", rs.getTimestamp("quarantined_at") != null ? "QUARANTINED" : rs.getTimestamp("drained_at") != null ? "DRAINED"
                    : !rs.getBoolean("live") ? "SILENT" : rs.getBoolean("stopping") ? "STOPPING" : "IN_SERVICE");
            row.put("device", rs.getString("device"));
            row.put("executionProvider", rs.getString("execution_provider"));
            row.put("videoEncoder", rs.getString("video_encoder"));
            row.put("acceleratorNote", rs.getString("accelerator_note"));
            row.put("tags", tags(rs.getString("tags")));
            row.put("models", rs.getString("models"));
            row.put("framesPerSecond", rs.getDouble("fps"));
            row.put("currentJob", rs.getString("current_job"));
            row.put("currentChunk", rs.getObject("current_chunk"));
            row.put("chunksCompleted", rs.getLong("chunks_completed"));
            row.put("framesRendered", rs.getLong("frames_rendered"));
            row.put("busySeconds", rs.getDouble("busy_seconds"));
            row.put("failures", rs.getLong("failures"));
            row.put("drainedBy", rs.getString("drained_by"));
            row.put("quarantineReason", rs.getString("quarantine_reason"));
            row.put("lastSeenAt", rs.getTimestamp("last_seen_at").toInstant());
            return row;
        });
    }

    private static List<String> tags(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
