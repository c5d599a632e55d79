package facefarm.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import facefarm.common.jobs.AttemptStatus;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobAction;
import facefarm.common.jobs.JobInputs;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.jobs.Scheduling;
import facefarm.common.jobs.TaskStatus;
import facefarm.common.messaging.Messages;
import facefarm.common.storage.JobFolder;
import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.coordinator.ingest.IngestService;
import facefarm.coordinator.jobs.AfterCommit;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.JobViews;
import facefarm.storage.ObjectStore;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class JobResource {
    /** How often a progress stream reads its job without being told of a change (changes made through another coordinator). */
    static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(5);
    /** How long a progress stream gathers a burst of changes into one status. */
    static final java.time.Duration COALESCE = java.time.Duration.ofMillis(250);

    @Inject
    facefarm.coordinator.live.FarmChanges changes;

    @Inject
    VisibleJobs visibleJobs;

    @Inject
    facefarm.coordinator.scheduling.FenceSender fences;

    @Inject
    CurrentCaller caller;

    @Inject
    FarmConfig config;

    @Inject
    IngestService ingest;

    @Inject
    JobViews views;

    @Inject
    JobStore store;

    @Inject
    JobService jobs;

    @Inject
    AfterCommit afterCommit;

    @Inject
    ObjectStore objects;

    @POST
    @Path("/jobs")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Submit a job with small files in the request (up to farm.max-upload-size; larger ones: POST /api/v1/uploads, then "
            + "submit by key): a target video (or a still image), source face images, optional new audio (dubbing, talking heads), "
            + "and JSON options {\"processors\": [...], \"chunkFrames\": N, \"outputFormat\": \"mp4\"|\"mkv\", \"videoBitrate\": bits/s, "
            + "\"audioFit\": \"pad\"|\"trim\"|\"extend\", \"fps\": 25}. Answers 202 with the job PREPARING: a worker probes the target, "
            + "checks the faces and plans the chunks; the job status says which check failed, if one does.")
    public Response submit(@RestForm("target") FileUpload target, @RestForm("source") List<FileUpload> sources,
                           @RestForm("audio") FileUpload audio, @RestForm("options") @PartType(MediaType.TEXT_PLAIN) String options,
                           @RestForm("consent") @PartType(MediaType.TEXT_PLAIN) List<String> consents) {
        JobOptions parsed = null;
        if (options != null && !options.isBlank()) {
            try {
                parsed = Messages.JSON.readValue(options, JobOptions.class);
            } catch (JsonProcessingException e) {
                throw new BadInputException(400, "options are not valid JSON: " + e.getOriginalMessage());
            }
        }
        IngestService.Upload targetUpload = target == null ? null : new IngestService.Upload(target.uploadedFile(), target.fileName());
        List<IngestService.Upload> sourceUploads = sources == null ? List.of()
                : sources.stream().filter(Objects::nonNull).map(s -> new IngestService.Upload(s.uploadedFile(), s.fileName())).toList();
        IngestService.Upload audioUpload = audio == null ? null : new IngestService.Upload(audio.uploadedFile(), audio.fileName());
        return accepted(ingest.submit(targetUpload, sourceUploads, consents == null ? List.of() : consents, audioUpload, parsed, caller.get()));
    }

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Submit a job on inputs already in the farm's bucket: {\"target\": {\"key\": ..., \"name\": ...}, \"sources\": [...], "
            + "\"audio\": {...}, \"options\": {...}}; 202 with the job PREPARING")
    public Response submitByKey(String body) {
        JobSubmission submission;
        try {
            submission = Messages.JSON.readValue(body == null ? "" : body, JobSubmission.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "the body is not a job submission {\"target\": {\"key\": \"uploads/...\"}, \"sources\": [...], "
                    + "\"options\": {...}}: " + e.getOriginalMessage());
        }
        if (submission == null || submission.target() == null) {
            throw new BadInputException(400, "the 'target' (the video to process, by object key) is missing");
        }
        return accepted(ingest.submit(new JobInputs(submission.target(), submission.sources(), submission.audio()), submission.options(), caller.get()));
    }

    private Response accepted(UUID id) {
        changes.job(id.toString());
        return Response.accepted(views.status(id).orElseThrow()).location(URI.create("/api/v1/jobs/" + id)).build();
    }

    @GET
    @Path("/jobs")
    public List<JobStatus> list(@QueryParam("limit") @DefaultValue("50") int limit) {
        return store.jobs(Math.max(1, Math.min(limit, 500)), caller.get()).stream().map(views::status).toList();
    }

    @GET
    @Path("/jobs/{id}")
    public JobStatus get(@PathParam("id") UUID id) {
        visible(id);
        return views.status(id).orElseThrow(() -> notFound(id));
    }

    /** The job if the caller may see it; another tenant's job (or another submitter's) answers as if it did not exist. */
    private JobRow visible(UUID id) {
        return visibleJobs.get(id);
    }

    @GET
    @Path("/jobs/{id}/chunks")
    public List<ChunkStatus> chunks(@PathParam("id") UUID id) {
        visible(id);
        return views.chunks(id);
    }

    @GET
    @Path("/jobs/{id}/tasks")
    @Operation(summary = "The job's prepare and stitch attempts: state, worker, error")
    public List<TaskStatus> tasks(@PathParam("id") UUID id) {
        visible(id);
        return store.tasks(id);
    }

    @GET
    @Path("/jobs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Progress as Server-Sent Events, one JobStatus when anything changes, ending with the final state")
    public Multi<JobStatus> events(@PathParam("id") UUID id) {
        visible(id);
        String key = id.toString();
        return Multi.createFrom().<JobStatus>emitter(emitter -> {
            // woken by the job's changes as the event consumer handles them; a slow refresh covers another coordinator's
            java.util.concurrent.LinkedBlockingQueue<String> changed = new java.util.concurrent.LinkedBlockingQueue<>();
            io.smallrye.mutiny.subscription.Cancellable watching = changes.job(key::equals).subscribe().with(changed::offer);
            emitter.onTermination(watching::cancel);
            JobStatus last = null;
            try {
                while (!emitter.isCancelled()) {
                    JobStatus now = views.status(id).orElseThrow();
                    if (last == null || !sameProgress(last, now)) {
                        emitter.emit(now);
                        last = now;
                    }
                    if (now.state().isTerminal()) {
                        break;
                    }
                    if (changed.poll(REFRESH.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                        // a chunk's progress events come in bursts: one status for the burst
                        Thread.sleep(COALESCE.toMillis());
                        changed.clear();
                    }
                }
                emitter.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static boolean sameProgress(JobStatus a, JobStatus b) {
        return a.state() == b.state() && a.framesDone() == b.framesDone() && a.chunks().equals(b.chunks()) && a.placement().equals(b.placement());
    }

    @GET
    @Path("/jobs/{id}/output")
    @Operation(summary = "303 to a short-lived presigned URL (farm.access.output-url-ttl) that downloads the finished video straight from S3, "
            + "named after the target (409 until DONE)")
    public Response output(@PathParam("id") UUID id) {
        JobRow job = visible(id);
        if (!hasOutput(job)) {
            return outputNotYet(job);
        }
        return Response.seeOther(URI.create(presignedOutput(job))).build();
    }

    @GET
    @Path("/jobs/{id}/output/url")
    @Operation(summary = "The short-lived presigned URL of the finished video, with its size and expiry (409 until DONE)")
    public Response outputUrl(@PathParam("id") UUID id) {
        JobRow job = visible(id);
        if (!hasOutput(job)) {
            return outputNotYet(job);
        }
        Map<String, Object> answer = new java.util.LinkedHashMap<>(Map.of("url", presignedOutput(job), "bytes", job.sizes().output(),
                "expiresAt", java.time.Instant.now().plus(config.access().outputUrlTtl()).toString()));
        String sidecar = JobFolder.credentialsSidecar(job.outputKey());
        if (objects.exists(sidecar)) {
            answer.put("credentialsUrl", presignedSidecar(job, sidecar));
        }
        return Response.ok(answer).build();
    }

    @GET
    @Path("/jobs/{id}/output/credentials")
    @Operation(summary = "303 to the finished video's C2PA sidecar (.c2pa), for outputs that cannot carry Content Credentials inside (mkv); "
            + "404 when the output has them inside (mp4) or the farm writes none")
    public Response outputCredentials(@PathParam("id") UUID id) {
        JobRow job = visible(id);
        if (!hasOutput(job)) {
            return outputNotYet(job);
        }
        String sidecar = JobFolder.credentialsSidecar(job.outputKey());
        if (!objects.exists(sidecar)) {
            String why = "mp4".equals(job.outputFormat()) ? "its Content Credentials are inside the " + job.outputFormat() + " file"
                    : "the farm wrote no Content Credentials for it (farm.provenance.credentials is off, or the job ended before they were made)";
            return Response.status(404).type(MediaType.APPLICATION_JSON).entity(Map.of("error", "job " + job.id() + " has no C2PA sidecar: " + why)).build();
        }
        return Response.seeOther(URI.create(presignedSidecar(job, sidecar))).build();
    }

    private String presignedSidecar(JobRow job, String sidecar) {
        String name = job.targetName().replaceAll("\\.[^.]*$", "") + "-facefarm.c2pa";
        return objects.presignedGet(sidecar, config.access().outputUrlTtl(), ContentDisposition.attachment(name));
    }

    /** S3 answers with the studio's file name (RFC 6266), so a browser saves it as the target's name, not the key's. */
    private String presignedOutput(JobRow job) {
        String name = job.targetName().replaceAll("\\.[^.]*$", "") + "-facefarm." + job.outputFormat();
        return objects.presignedGet(job.outputKey(), config.access().outputUrlTtl(), ContentDisposition.attachment(name));
    }

    private static boolean hasOutput(JobRow job) {
        return job.state() == JobState.DONE && job.outputKey() != null;
    }

    private Response outputNotYet(JobRow job) {
        if (job.state() == JobState.DONE) {
            return Response.status(410).type(MediaType.APPLICATION_JSON).entity(Map.of("error", "the output of job " + job.id()
                    + " was deleted " + config.retention().outputs().toHours() + " h after the job ended (farm.retention.outputs); render it again")).build();
        }
        return Response.status(409).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "job " + job.id() + " is " + job.state() + "; its output exists once it is DONE")).build();
    }

    @POST
    @Path("/jobs/{id}/cancel")
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Cancel a job: nothing more is offered, its running chunks stop within seconds, it ends CANCELLED and its chunks are "
            + "deleted (its inputs are kept). 409 if it has already ended.")
    public JobStatus cancel(@PathParam("id") UUID id) {
        return control(id, jobs::cancel);
    }

    @POST
    @Path("/jobs/{id}/pause")
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Pause a RUNNING job: its running chunks finish, nothing new starts until it is resumed (409 otherwise)")
    public JobStatus pause(@PathParam("id") UUID id) {
        return control(id, jobs::pause);
    }

    @POST
    @Path("/jobs/{id}/resume")
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Resume a PAUSED job: its held chunks are offered again at once (409 otherwise)")
    public JobStatus resume(@PathParam("id") UUID id) {
        return control(id, jobs::resume);
    }

    @POST
    @Path("/jobs/{id}/retry")
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Retry a FAILED or CANCELLED job: only chunks without a finished output render again, with a fresh retry budget "
            + "(409 in any other state, or when retention has deleted its inputs)")
    public JobStatus retry(@PathParam("id") UUID id) {
        JobRow job = visible(id);
        boolean inputsKept = objects.exists(job.targetKey());
        java.util.Set<String> outputs = new java.util.HashSet<>(objects.list(job.folder().chunks()));
        return control(id, (jobId, actor) -> jobs.retry(jobId, actor, outputs, inputsKept));
    }

    @POST
    @Path("/jobs/{id}/chunks/{index}/retry")
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Render one chunk of a RUNNING or PAUSED job again (a bad take of it): a running attempt is stopped, a finished output "
            + "replaced. 404 for no such chunk, 409 in other states.")
    public JobStatus retryChunk(@PathParam("id") UUID id, @PathParam("index") int index) {
        try {
            return control(id, (jobId, actor) -> jobs.retryChunk(jobId, index, actor));
        } catch (java.util.NoSuchElementException e) {
            throw new NotFoundException(e.getMessage());
        }
    }

    @GET
    @Path("/jobs/{id}/chunks/{index}/attempts")
    @Operation(summary = "Every attempt at one chunk: the worker it was sent to and the one that ran it, frames, how it ended, its log's address; "
            + "a failed attempt shows its log's last lines")
    public List<AttemptStatus> attempts(@PathParam("id") UUID id, @PathParam("index") int index) {
        JobRow job = visible(id);
        List<AttemptStatus> attempts = views.attempts(job, index);
        if (attempts.isEmpty()) {
            throw new NotFoundException("job " + id + " has no chunk " + index + " (GET /api/v1/jobs/" + id + "/chunks lists them)");
        }
        return attempts;
    }

    @GET
    @Path("/jobs/{id}/chunks/{index}/attempts/{number}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "One attempt's own worker log lines, kept once the attempt ended (404 before then, or after farm.retention.inputs)")
    public Response attemptLog(@PathParam("id") UUID id, @PathParam("index") int index, @PathParam("number") int number) {
        JobRow job = visible(id);
        AttemptStatus attempt = store.attempts(id, index).stream().filter(a -> a.number() == number).findFirst()
                .orElseThrow(() -> new NotFoundException("job " + id + " chunk " + index + " has no attempt " + number));
        byte[] log = objects.readTail(job.folder().attemptLog(index, attempt.id()), 8L << 20).orElseThrow(() -> new NotFoundException(
                "attempt " + number + " of chunk " + index + " has no log " + (attempt.state().isLive() ? "yet: it is kept once the attempt ends"
                        : "(it never ran on a worker, or its log was deleted with the job's inputs)")));
        return Response.ok(log, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
    }

    /** The body of a priority change. */
    public record PriorityChange(Integer priority) {
    }

    @PUT
    @Path("/jobs/{id}/priority")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Change a queued or running job's priority, {\"priority\": 0..100} (higher first): its chunks not yet sent go out in "
            + "the new order. 400 for a priority out of range, 409 once the job has ended.")
    public JobStatus priority(@PathParam("id") UUID id, PriorityChange change) {
        visible(id);
        if (change == null || change.priority() == null) {
            throw new BadInputException(400, "the body must be {\"priority\": N} with N from " + Scheduling.MIN_PRIORITY + " to " + Scheduling.MAX_PRIORITY);
        }
        List<String> problems = Scheduling.priorityProblems(change.priority());
        if (!problems.isEmpty()) {
            throw new BadInputException(400, problems.get(0));
        }
        return control(id, (jobId, actor) -> jobs.priority(jobId, change.priority(), actor));
    }

    /** A job control action taken as the caller, on a job the caller may see; answers the job's new status. */
    private JobStatus control(UUID id, java.util.function.BiFunction<UUID, String, JobService.Followup> action) {
        visible(id);
        afterCommit.run(action.apply(id, caller.get().name()));
        // the fences a cancel, pause or chunk retry made reach the workers now, not at the scheduler's next tick
        fences.sendDue();
        changes.job(id.toString());
        return views.status(id).orElseThrow(() -> notFound(id));
    }

    @GET
    @Path("/jobs/{id}/notifications")
    @Operation(summary = "The job's webhook calls: event, URL, attempts, last status or error, when delivered")
    public List<Map<String, Object>> notifications(@PathParam("id") UUID id) {
        visible(id);
        return store.notifications(id);
    }

    @GET
    @Path("/jobs/{id}/history")
    @Operation(summary = "The job's history: who submitted, paused, resumed or cancelled it, and when")
    public List<JobAction> history(@PathParam("id") UUID id) {
        visible(id);
        return store.actions(id);
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no job " + id);
    }
}
