package facefarm.coordinator.scheduling;

import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.messaging.FarmPublisher;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Re-offers chunks whose attempt went silent (a dead or stuck worker), within the retry budget. */
@ApplicationScoped
public class AttemptScheduler {
    @Inject
    JobService jobs;

    @Inject
    FarmPublisher publisher;

    @Scheduled(every = "${farm.scheduler-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        jobs.reapSilentAttempts().offers().forEach(publisher::offer);
    }
}
