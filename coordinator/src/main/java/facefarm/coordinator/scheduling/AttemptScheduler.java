package facefarm.coordinator.scheduling;

import facefarm.coordinator.jobs.AfterCommit;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.notifications.Notifier;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Offers again the chunks and prepare/stitch tasks whose attempt went silent (a dead or stuck worker), within the retry
 * budget, and sends what is due from the outbox (retries after their backoff, records whose send never happened).
 * Then it sends the fences that tell workers which offers are stale, and the webhooks due; every second it dispatches
 * queued chunks ({@link Dispatcher}). Only the coordinator holding the {@link DutyLock} does, so two coordinators never
 * re-offer or re-send the same work.
 */
@ApplicationScoped
public class AttemptScheduler {
    @Inject
    JobService jobs;

    @Inject
    AfterCommit afterCommit;

    @Inject
    DutyLock duty;

    @Inject
    FenceSender fences;

    @Inject
    Notifier notifier;

    @Inject
    Dispatcher dispatcher;

    @Scheduled(every = "${farm.scheduler-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        if (!duty.held()) {
            return;
        }
        afterCommit.run(jobs.reapSilentAttempts());
        afterCommit.run(jobs.publishDue());
        fences.sendDue();
        notifier.deliverDue();
    }

    /** Sends queued chunks whose backoff passed, or that found no free worker before (dispatch also runs after each event). */
    @Scheduled(every = "${farm.scheduling.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dispatch() {
        if (duty.held()) {
            dispatcher.dispatch();
        }
    }
}
