package facefarm.coordinator.api;

import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.WorkerStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/** The farm's workers for operators: what each computes with and does, and taking one out of service or back. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public class WorkerResource {
    private static final Logger LOG = Logger.getLogger(WorkerResource.class);

    @Inject
    WorkerStore workers;

    @Inject
    CurrentCaller caller;

    @Inject
    FarmConfig config;

    @GET
    @Operation(summary = "Every worker heard from: state (IN_SERVICE, DRAINED, QUARANTINED, SILENT), device, execution provider, tags, current "
            + "chunk, frames/s, frames rendered, busy time, failures, last heartbeat")
    public List<Map<String, Object>> list() {
        return workers.list(config.heartbeatTimeout());
    }

    @POST
    @Path("/{id}/drain")
    @Transactional
    @Operation(summary = "Drain a worker: it finishes its current chunk and gets no more work until released (404 for an unknown worker)")
    public Map<String, Object> drain(@PathParam("id") String id) {
        if (!workers.drain(id, caller.get().name())) {
            throw unknown(id);
        }
        LOG.infof("worker=%s drained by %s", id, caller.get().name());
        return one(id);
    }

    @POST
    @Path("/{id}/release")
    @Transactional
    @Operation(summary = "Put a drained or quarantined worker back into service; its earlier failures no longer count towards a quarantine")
    public Map<String, Object> release(@PathParam("id") String id) {
        if (!workers.release(id)) {
            throw unknown(id);
        }
        LOG.infof("worker=%s released by %s", id, caller.get().name());
        return one(id);
    }

    private Map<String, Object> one(String id) {
        return workers.list(config.heartbeatTimeout()).stream().filter(w -> id.equals(w.get("id"))).findFirst().orElseThrow(() -> unknown(id));
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("no worker '" + id + "' has sent a heartbeat to this farm (GET /api/v1/workers lists them)");
    }
}
