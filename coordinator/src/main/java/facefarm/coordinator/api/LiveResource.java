package facefarm.coordinator.api;

import facefarm.common.jobs.AttemptStatus;
import facefarm.coordinator.access.Caller;
import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.JobViews;
import facefarm.coordinator.live.FarmChanges;
import facefarm.storage.ObjectStore;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** What the live dashboard reads besides the job and worker lists: the farm's changes, a job's attempts, its preview. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class LiveResource {
    /** How changes are gathered before a batch goes out; a quiet stream sends an empty batch this often, to stay open. */
    static final Duration BATCH = Duration.ofSeconds(1);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    @Inject
    FarmChanges changes;

    @Inject
    CurrentCaller caller;

    @Inject
    JobStore store;

    @Inject
    JobViews views;

    @Inject
    VisibleJobs visibleJobs;

    @Inject
    ObjectStore objects;

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The farm's changes as Server-Sent Events, gathered each second: the ids of the jobs that changed (those the caller may "
            + "see) and whether a worker did; an empty batch every 15 s keeps the stream open")
    public Multi<FarmChanges.Batch> events() {
        Caller who = caller.get();
        Multi<FarmChanges.Batch> seen = changes.batches(BATCH).emitOn(Infrastructure.getDefaultWorkerPool())
                .map(batch -> new FarmChanges.Batch(batch.jobs().stream().filter(id -> sees(who, id)).toList(), batch.workers() && who.role() == Role.OPERATOR))
                .filter(batch -> !batch.isEmpty());
        Multi<FarmChanges.Batch> keepAlive = Multi.createFrom().ticks().every(KEEP_ALIVE).map(tick -> new FarmChanges.Batch(List.of(), false));
        return Multi.createBy().merging().streams(seen, keepAlive);
    }

    private boolean sees(Caller who, String jobId) {
        return store.job(UUID.fromString(jobId)).map(job -> who.sees(job.owner().tenant(), job.owner().submittedBy())).orElse(false);
    }

    @GET
    @Path("/jobs/{id}/attempts")
    @Operation(summary = "Every attempt at every chunk of the job, in chunk order: who ran it, when, how it ended (the dashboard's timeline)")
    public List<AttemptStatus> attempts(@PathParam("id") UUID id) {
        return views.attempts(visibleJobs.get(id), null);
    }

    @GET
    @Path("/jobs/{id}/preview")
    @Produces("image/jpeg")
    @Operation(summary = "A small JPEG of the last frame of the job's most recently finished chunk (404 before its first chunk is done)")
    public Response preview(@PathParam("id") UUID id) {
        JobRow job = visibleJobs.get(id);
        String[] latest = store.latestFinishedAttempt(id).orElseThrow(() -> new NotFoundException("job " + id + " has no finished chunk yet"));
        byte[] jpeg = objects.readTail(job.folder().attemptPreview(Integer.parseInt(latest[0]), latest[1]), 4L << 20)
                .orElseThrow(() -> new NotFoundException("chunk " + latest[0] + " of job " + id + " has no preview"));
        return Response.ok(jpeg, "image/jpeg").header("Cache-Control", "no-store").header("X-Facefarm-Chunk", latest[0]).build();
    }
}
