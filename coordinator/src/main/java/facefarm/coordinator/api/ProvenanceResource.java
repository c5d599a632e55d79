package facefarm.coordinator.api;

import facefarm.common.jobs.JobStatus;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.JobViews;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Where a marked file came from. Reading the mark is media work, done where the file is (./farm provenance, or a
 * worker); this answers what the payload it read points to.
 */
@Path("/api/v1/provenance")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ProvenanceResource {
    @Inject
    FarmConfig config;

    @Inject
    JobStore store;

    @Inject
    JobViews views;

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
        String farmName = config.provenance().farmName();
        boolean thisFarm = payload.farm() == WatermarkPayload.farmCode(farmName);
        List<JobStatus> jobs = !thisFarm ? List.of()
                : store.jobsWithIdPrefix(payload.jobIdPrefix(), caller.get()).stream().map(views::status).toList();
        return new WatermarkOrigin(payload.hex(), payload.farm(), thisFarm, thisFarm ? farmName : null, payload.jobIdPrefix(), jobs);
    }
}
