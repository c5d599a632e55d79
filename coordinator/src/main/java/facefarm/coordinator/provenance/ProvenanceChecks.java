package facefarm.coordinator.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.ProvenanceCheck;
import facefarm.common.messaging.ProvenanceCheckResult;
import facefarm.common.provenance.ProvenanceCheckRequest;
import facefarm.common.provenance.ProvenanceCheckStatus;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.access.Caller;
import facefarm.coordinator.database.Sql;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.coordinator.messaging.FarmPublisher;
import facefarm.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Provenance checks of stored files: a row per check, a {@link ProvenanceCheck} task for any worker (reading the file
 * is media work, which the coordinator does not do), and the worker's result written back. A check no worker answers
 * within {@link #WAIT} is failed when next asked for, so a client never waits on a lost task.
 */
@ApplicationScoped
public class ProvenanceChecks {
    private static final Logger LOG = Logger.getLogger(ProvenanceChecks.class);
    /** How long a check waits for a worker before it is reported failed. */
    static final Duration WAIT = Duration.ofMinutes(10);

    @Inject
    Sql db;

    @Inject
    ObjectStore objects;

    @Inject
    FarmPublisher publisher;

    @Inject
    WatermarkOrigins origins;

    /** Queues a check of {@code request}'s file; 400 for a key the caller may not read or that holds nothing. */
    public ProvenanceCheckStatus start(Caller caller, ProvenanceCheckRequest request) {
        if (request == null || request.key() == null || request.key().isBlank()) {
            throw new BadInputException(400, "a provenance check needs the key of a stored file: {\"key\": \"tenants/...\"} (upload it with "
                    + "POST /api/v1/uploads, or name a job's output key)");
        }
        String tenant = tenantOf(caller, request.key());
        int frames = request.frames() == null ? ProvenanceCheckRequest.DEFAULT_FRAMES : request.frames();
        if (frames < 1 || frames > ProvenanceCheck.MAX_FRAMES) {
            throw new BadInputException(400, "frames is how many of the file's first frames to read: 1 to " + ProvenanceCheck.MAX_FRAMES + ", not " + frames);
        }
        for (String key : request.sidecarKey() == null ? List.of(request.key()) : List.of(request.key(), request.sidecarKey())) {
            String problem = ObjectKeys.tenantKeyProblem(tenant, key);
            if (problem != null) {
                throw new BadInputException(400, problem);
            }
            if (!objects.exists(key)) {
                throw new BadInputException(400, "there is no object at " + key + ": upload the file first (POST /api/v1/uploads)");
            }
        }
        ProvenanceCheck task = new ProvenanceCheck(UUID.randomUUID().toString(), tenant, request.key(), request.sidecarKey(), frames);
        db.update("insert into provenance_checks (id, tenant, requested_by, object_key, sidecar_key, frames, state) values (?, ?, ?, ?, ?, ?, ?)",
                UUID.fromString(task.checkId()), tenant, caller.name(), task.key(), task.sidecarKey(), frames, ProvenanceCheckStatus.State.QUEUED.name());
        try {
            publisher.task(task);
        } catch (RuntimeException e) {
            LOG.warnf(e, "provenance check %s could not be queued", task.checkId());
            finish(task.checkId(), null, null, "the farm's broker did not take the check (" + e.getMessage() + "); try again");
            throw new BadInputException(503, "the farm's broker did not take the check; try again in a moment", e);
        }
        return status(caller, UUID.fromString(task.checkId()));
    }

    /** The check as the caller may see it; 404 when it does not exist or is another's. */
    public ProvenanceCheckStatus status(Caller caller, UUID id) {
        Row row = row(id);
        if (row == null || !caller.sees(row.tenant, row.requestedBy)) {
            throw new BadInputException(404, "no provenance check " + id + " that you may see");
        }
        if (row.state == ProvenanceCheckStatus.State.QUEUED && row.createdAt.plus(WAIT).isBefore(Instant.now())) {
            finish(id.toString(), null, null, "no worker reported the check within " + WAIT.toMinutes() + " minutes: see the workers "
                    + "(GET /api/v1/workers, ./farm status) and check again");
            row = row(id);
        }
        ProvenanceReport report = row.report == null ? null : decode(row.report);
        WatermarkOrigin origin = report != null && report.watermark().found()
                ? origins.of(WatermarkPayload.parse(report.watermark().payload()), caller) : null;
        return new ProvenanceCheckStatus(id.toString(), row.state, row.key, row.createdAt, report, origin, row.error);
    }

    /** A worker's answer; a check already answered (a redelivered result) or unknown is left as it is. */
    public void onResult(ProvenanceCheckResult result) {
        if (finish(result.checkId(), result.workerId(), result.report(), result.error()) == 0) {
            LOG.infof("provenance check %s: a result from %s for a check that is not waiting; ignored", result.checkId(), result.workerId());
        }
    }

    /** Forgets checks asked for longer ago than {@code age}; returns how many. */
    public int deleteOlderThan(Duration age) {
        return db.update("delete from provenance_checks where created_at < ?", Timestamp.from(Instant.now().minus(age)));
    }

    private int finish(String checkId, String workerId, ProvenanceReport report, String error) {
        String json;
        try {
            json = report == null ? null : Messages.JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a provenance report did not serialise", e);
        }
        ProvenanceCheckStatus.State state = report != null ? ProvenanceCheckStatus.State.DONE : ProvenanceCheckStatus.State.FAILED;
        return db.update("update provenance_checks set state = ?, report = ?, error = ?, worker_id = ?, finished_at = now() where id = ? and state = ?",
                state.name(), json, error, workerId, UUID.fromString(checkId), ProvenanceCheckStatus.State.QUEUED.name());
    }

    /** The caller's tenant; an operator may check any tenant's objects, under that tenant. */
    private static String tenantOf(Caller caller, String key) {
        String prefix = ObjectKeys.tenantPrefix("");
        if (caller.isOperator() && key.startsWith(prefix) && key.indexOf('/', prefix.length()) > prefix.length()) {
            return key.substring(prefix.length(), key.indexOf('/', prefix.length()));
        }
        return caller.tenant();
    }

    private static ProvenanceReport decode(String json) {
        try {
            return Messages.JSON.readValue(json, ProvenanceReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored provenance report does not read back", e);
        }
    }

    private record Row(String tenant, String requestedBy, String key, ProvenanceCheckStatus.State state, String report, String error, Instant createdAt) {
    }

    private Row row(UUID id) {
        return db.query("select * from provenance_checks where id = ?", ps -> ps.setObject(1, id), ProvenanceChecks::map).stream().findFirst()
                .orElse(null);
    }

    private static Row map(ResultSet rs) throws SQLException {
        Timestamp created = rs.getTimestamp("created_at");
        return new Row(rs.getString("tenant"), rs.getString("requested_by"), rs.getString("object_key"),
                ProvenanceCheckStatus.State.valueOf(rs.getString("state")), rs.getString("report"), rs.getString("error"), created.toInstant());
    }
}
