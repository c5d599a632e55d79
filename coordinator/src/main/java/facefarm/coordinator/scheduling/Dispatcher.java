package facefarm.coordinator.scheduling;

import facefarm.common.messaging.ChunkOffer;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.WorkerStore;
import facefarm.coordinator.messaging.FarmPublisher;
import facefarm.coordinator.messaging.WorkerAssignments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sends queued chunks to free workers, one outstanding offer per worker by default, highest job priority first (then the oldest
 * job, then chunk order), each to a worker whose tags fit the job and that has not failed it too often. An offer goes
 * to a partition the chosen worker holds, so Kafka stays the transport while the coordinator decides the order: a
 * retake submitted behind a feature starts as soon as one worker finishes its chunk. Only the coordinator holding the
 * {@link DutyLock} dispatches.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** Queued chunks read per round: far more than there are workers, enough to see every waiting job's first chunks. */
    private static final int QUEUE_WINDOW = 2000;

    @Inject
    JobService jobs;

    @Inject
    JobStore store;

    @Inject
    WorkerStore workers;

    @Inject
    FarmPublisher publisher;

    @Inject
    WorkerAssignments assignments;

    @Inject
    DutyLock duty;

    @Inject
    FarmConfig config;

    private boolean overPartitioned;

    /** After a commit that queued chunks: dispatch at once when this coordinator holds the duty (else its holder's tick does). */
    void onQueued(@Observes JobService.WorkQueued queued) {
        if (duty.held()) {
            dispatch();
        }
    }

    /** One round: match queued chunks to free workers and send them; record why jobs no live worker can serve wait. */
    public synchronized void dispatch() {
        try {
            Map<String, List<Integer>> partitions = assignments.offerPartitionsByWorker();
            // before the workers are read, so a worker whose offer is taken back counts as free in this round
            takeBackMovedOffers(partitions);
            List<WorkerStore.Worker> live = workers.live(config.heartbeatTimeout());
            assignments.exclude(outOfService(live));
            warnOfWorkersWithoutPartitions(live);
            // one entry per free slot, longest-idle workers first, so a second slot is used only once every worker has one
            int slots = Math.max(1, config.scheduling().offersPerWorker());
            List<WorkerStore.Worker> free = new ArrayList<>();
            for (int slot = 0; slot < slots; slot++) {
                for (WorkerStore.Worker worker : live) {
                    if (worker.inService() && worker.outstanding() <= slot && partitions.containsKey(worker.id())) {
                        free.add(worker);
                    }
                }
            }
            Map<UUID, WorkerMatch> matches = new HashMap<>();
            // why each job with queued chunks waits; null while some live worker can take them
            Map<UUID, String> waiting = new HashMap<>();
            for (JobStore.Queued queued : store.queued(QUEUE_WINDOW)) {
                WorkerMatch match = matches.computeIfAbsent(queued.jobId(), job -> new WorkerMatch(queued.requiredTags(), workers.jobFailures(job),
                        config.scheduling().jobFailuresBeforeBlocklist()));
                if (!waiting.containsKey(queued.jobId())) {
                    waiting.put(queued.jobId(), match.whyNone(live));
                }
                Optional<WorkerStore.Worker> worker = free.stream().filter(match::fits).findFirst();
                if (worker.isEmpty()) {
                    continue;
                }
                Optional<ChunkOffer> offer = jobs.assign(queued, worker.get().id());
                if (offer.isPresent()) {
                    free.remove(worker.get());
                    send(offer.get(), partitions.get(worker.get().id()));
                }
            }
            jobs.waiting(waiting);
        } catch (RuntimeException e) {
            // the chunks stay queued: the next round (farm.scheduling.dispatch-interval) sends them
            LOG.warnf(e, "dispatch round failed: %s", e.getMessage());
        }
    }

    /** More workers than chunk partitions leave some with none, and so with no chunks: said once, when it starts. */
    private void warnOfWorkersWithoutPartitions(List<WorkerStore.Worker> live) {
        boolean over = live.size() > config.kafka().partitions();
        if (over && !overPartitioned) {
            LOG.warnf("%d workers are live but the chunk topic has %d partitions: the workers without one get no chunks; raise "
                    + "farm.kafka.partitions", live.size(), config.kafka().partitions());
        }
        overPartitioned = over;
    }

    /**
     * Offers sent on a partition their worker no longer holds (a worker joined or left) go back to the queue, so the
     * worker they were meant for is free again at once; a worker whose partitions are not known this moment (a
     * rebalance in progress) keeps its offers.
     */
    private void takeBackMovedOffers(Map<String, List<Integer>> partitions) {
        for (JobStore.SentOffer sent : store.sentOffers()) {
            List<Integer> held = partitions.get(sent.worker());
            if (held != null && !held.isEmpty() && !held.contains(sent.partition())) {
                jobs.offerMoved(sent);
            }
        }
    }

    private void send(ChunkOffer offer, List<Integer> partitions) {
        int partition = partitions.get(Math.floorMod(offer.chunkIndex(), partitions.size()));
        try {
            publisher.offer(offer, partition);
            store.offerSent(UUID.fromString(offer.attemptId()), partition);
        } catch (RuntimeException e) {
            LOG.warnf("job=%s chunk=%d offer to worker %s not sent (%s); it is sent again in the next round", offer.jobId(), offer.chunkIndex(),
                    offer.assignedWorker(), e.getMessage());
        }
    }

    /** Workers the prepare and stitch tasks' rotation skips. */
    private static Set<String> outOfService(List<WorkerStore.Worker> live) {
        return live.stream().filter(w -> !w.inService()).map(WorkerStore.Worker::id).collect(Collectors.toSet());
    }
}
