package facefarm.coordinator.scheduling;

import facefarm.common.messaging.Fence;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.messaging.FarmPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Sends the fences the database says are due (jobs that ended, chunks re-offered as a newer attempt) and marks each
 * once the broker has it: an outbox, so a fence is never lost to a crash between a state change and its send.
 */
@ApplicationScoped
public class FenceSender {
    private static final Logger LOG = Logger.getLogger(FenceSender.class);
    private static final int BATCH = 500;

    @Inject
    JobStore store;

    @Inject
    FarmPublisher publisher;

    /**
     * Sends what is due. The scheduler calls it on every tick; a job action calls it at once, so a cancel stops running
     * chunks without waiting for the tick. Two senders may send a fence twice, which the fences' merge makes harmless.
     */
    public synchronized void sendDue() {
        for (Fence fence : store.unsentFences(BATCH)) {
            try {
                publisher.fence(fence);
                store.fenceSent(fence);
            } catch (RuntimeException e) {
                // the next tick sends it again
                LOG.debugf(e, "cannot send the fence of %s yet", fence.key());
                return;
            }
        }
    }
}
