package facefarm.coordinator.jobs;

import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.StitchTask;
import facefarm.coordinator.messaging.FarmPublisher;
import facefarm.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link JobService.Followup} once its transaction has committed. A publish that fails is not lost:
 * the scheduler offers again whatever no worker started within farm.offer-timeout.
 */
@ApplicationScoped
public class AfterCommit {
    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    @Inject
    FarmPublisher publisher;

    @Inject
    ObjectStore objects;

    public void run(JobService.Followup followup) {
        try {
            followup.offers().forEach(publisher::offer);
            for (Record task : followup.tasks()) {
                if (task instanceof PrepareTask prepare) {
                    publisher.task(prepare);
                } else if (task instanceof StitchTask stitch) {
                    publisher.task(stitch);
                } else {
                    throw new IllegalArgumentException("not a task: " + task.getClass().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("publishing failed (%s); what was not published is offered again after farm.offer-timeout", e.getMessage());
        }
        if (followup.removePrefix() != null) {
            try {
                objects.deletePrefix(followup.removePrefix());
            } catch (RuntimeException e) {
                LOG.warnf("cannot remove s3 objects under %s: %s", followup.removePrefix(), e.getMessage());
            }
        }
    }
}
