package facefarm.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import facefarm.common.messaging.Messages;
import facefarm.common.provenance.ProvenanceCheckRequest;
import facefarm.common.provenance.ProvenanceCheckStatus;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.coordinator.provenance.ProvenanceChecks;
import facefarm.coordinator.provenance.WatermarkOrigins;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Where a marked file came from. Reading a file is media work, done where the file is: by ./farm provenance, or by a
 * worker for a stored file (checks); this answers what a payload points to, and queues and reports the checks.
 */
@Path("/api/v1/provenance")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ProvenanceResource {
    @Inject
    WatermarkOrigins origins;

    @Inject
    ProvenanceChecks checks;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/watermarks/{payload}")
    @Operation(summary = "What a watermark's payload (16 hex digits, as ./farm provenance prints it) names: this farm or another, and the "
            + "jobs of this farm the caller may see that it points to")
    public WatermarkOrigin watermark(@PathParam("payload") String hex) {
        WatermarkPayload payload;
        try {
            payload = WatermarkPayload.parse(hex);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(400, e.getMessage() + "; ./farm provenance FILE reads it from a file");
        }
        return origins.of(payload, caller.get());
    }

    @POST
    @Path("/checks")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
    @Operation(summary = "Check a stored file's provenance on a worker (202): its watermark (payload, bit error rate, the jobs it points to) and "
            + "its C2PA Content Credentials (inside it, or in the sidecar named by sidecarKey). key is an upload's key or a job's output key, "
            + "of the caller's tenant; frames (1-600, default 48) how many of its first frames to read. Poll GET /checks/{id} for the report")
    public Response check(String body) {
        ProvenanceCheckRequest request;
        try {
            request = body == null || body.isBlank() ? null : Messages.JSON.readValue(body, ProvenanceCheckRequest.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "the body is not a provenance check {\"key\": \"tenants/...\", \"sidecarKey\": ..., \"frames\": 48}: "
                    + e.getOriginalMessage());
        }
        ProvenanceCheckStatus status = checks.start(caller.get(), request);
        return Response.accepted(status).location(URI.create("/api/v1/provenance/checks/" + status.id())).build();
    }

    @GET
    @Path("/checks/{id}")
    @Operation(summary = "A provenance check: QUEUED until a worker reports, then DONE with its report (and the jobs its watermark points to), "
            + "or FAILED saying why")
    public ProvenanceCheckStatus check(@PathParam("id") UUID id) {
        return checks.status(caller.get(), id);
    }
}
