package facefarm.coordinator.provenance;

import facefarm.common.jobs.JobStatus;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.coordinator.access.Caller;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.JobViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** What a watermark's payload names: this farm or another, and the jobs of this farm a caller may see that it points to. */
@ApplicationScoped
public class WatermarkOrigins {
    @Inject
    FarmConfig config;

    @Inject
    JobStore store;

    @Inject
    JobViews views;

    public WatermarkOrigin of(WatermarkPayload payload, Caller caller) {
        String farmName = config.provenance().farmName();
        boolean thisFarm = payload.farm() == WatermarkPayload.farmCode(farmName);
        List<JobStatus> jobs = !thisFarm ? List.of() : store.jobsWithIdPrefix(payload.jobIdPrefix(), caller).stream().map(views::status).toList();
        return new WatermarkOrigin(payload.hex(), payload.farm(), thisFarm, thisFarm ? farmName : null, payload.jobIdPrefix(), jobs);
    }
}
