package facefarm.coordinator.jobs;

import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.StitchTask;
import facefarm.coordinator.messaging.FarmPublisher;
import facefarm.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link JobService.Followup} once its transaction has committed: publishes its tasks, tells the dispatcher
 * about queued chunks, removes objects. A publish that fails is not lost: the record stays unsent in the database, and
 * the scheduler sends it ({@link JobService#publishDue()}).
 */
@ApplicationScoped
public class AfterCommit {
    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    @Inject
    FarmPublisher publisher;

    @Inject
    ObjectStore objects;

    @Inject
    JobStore store;

    @Inject
    jakarta.enterprise.event.Event<JobService.WorkQueued> queued;

    public void run(JobService.Followup followup) {
        try {
            // each record is marked sent once the broker acknowledged it; the rest stays in the outbox
            for (Record task : followup.tasks()) {
                if (task instanceof PrepareTask prepare) {
                    publisher.task(prepare);
                    store.taskPublished(UUID.fromString(prepare.attemptId()));
                } else if (task instanceof StitchTask stitch) {
                    publisher.task(stitch);
                    store.taskPublished(UUID.fromString(stitch.attemptId()));
                } else {
                    throw new IllegalArgumentException("not a task: " + task.getClass().getName());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("publishing failed (%s); the scheduler sends what was not published", e.getMessage());
        }
        if (followup.dispatch()) {
            queued.fire(new JobService.WorkQueued());
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
