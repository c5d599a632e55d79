package facefarm.coordinator.api;

import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.UUID;

/** A job as the caller may see it: another tenant's (or, for a submitter, another submitter's) job is not found. */
@ApplicationScoped
public class VisibleJobs {
    @Inject
    JobStore store;

    @Inject
    CurrentCaller caller;

    /** @throws NotFoundException when there is no such job, or the caller may not see it */
    public JobRow get(UUID id) {
        JobRow job = store.job(id).orElseThrow(() -> new NotFoundException("no job " + id));
        if (!caller.get().sees(job.owner().tenant(), job.owner().submittedBy())) {
            throw new NotFoundException("no job " + id);
        }
        return job;
    }
}
