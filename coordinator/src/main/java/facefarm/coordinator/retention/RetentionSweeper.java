package facefarm.coordinator.retention;

import facefarm.common.storage.JobFolder;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.provenance.ProvenanceChecks;
import facefarm.coordinator.scheduling.DutyLock;
import facefarm.storage.ObjectStore;
import facefarm.storage.StorageException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Deletes what is past its retention (farm.retention.*): finished jobs' own inputs, their outputs, failed jobs'
 * chunks, uploads no unfinished job refers to, and provenance checks' records (as old as an output may get). It works on any S3 server (lifecycle rules are not on all of
 * them), on the coordinator holding the duty lock, in small batches, and records what it removed.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    private static final int BATCH = 200;

    @Inject
    FarmConfig config;

    @Inject
    JobStore store;

    @Inject
    ObjectStore objects;

    @Inject
    DutyLock duty;

    @Inject
    ProvenanceChecks provenanceChecks;

    @Scheduled(every = "${farm.retention.sweep-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!duty.held()) {
            return;
        }
        try {
            FarmConfig.Retention retention = config.retention();
            sweep(JobStore.Sweep.INPUTS, retention.inputs(), "input/", "logs/");
            sweep(JobStore.Sweep.OUTPUTS, retention.outputs(), "output/");
            sweep(JobStore.Sweep.FAILED_CHUNKS, retention.failedChunks(), "chunks/");
            sweepUploads(retention.uploads());
            int checks = provenanceChecks.deleteOlderThan(retention.outputs());
            if (checks > 0) {
                LOG.infof("%d provenance check(s) older than %s deleted (farm.retention.outputs)", checks, retention.outputs());
            }
        } catch (StorageException e) {
            LOG.warnf("retention sweep stopped (%s); it goes on at the next round", e.getMessage());
        }
    }

    private void sweep(JobStore.Sweep what, Duration age, String... folders) {
        for (JobStore.Expired job : store.expired(what, age, BATCH)) {
            for (String folder : folders) {
                objects.deletePrefix(new JobFolder(job.tenant(), job.jobId().toString()).prefix() + folder);
            }
            store.swept(what, job.jobId());
            LOG.infof("job=%s %s deleted after %s (farm.retention)", job.jobId(), String.join(" ", folders), age);
        }
    }

    private void sweepUploads(Duration age) {
        Set<String> live = store.liveInputKeys();
        int deleted = 0;
        for (String tenant : store.tenants()) {
            for (String key : objects.listOlderThan(ObjectKeys.uploadsPrefix(tenant), Instant.now().minus(age))) {
                if (!live.contains(key)) {
                    objects.delete(key);
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            LOG.infof("%d upload(s) older than %s deleted (farm.retention.uploads)", deleted, age);
        }
    }
}
