package facefarm.coordinator.messaging;

import facefarm.common.messaging.Topics;
import facefarm.coordinator.config.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jboss.logging.Logger;

/**
 * The workers' current share of the offer and task topics, read from their consumer group (each member is named by its
 * worker id): chunk offers go to a partition of the worker the dispatcher chose; prepare and stitch tasks go to the
 * next worker in service in turn. Until the group is known tasks fall back to their key's hash.
 */
@ApplicationScoped
public class WorkerAssignments {
    private static final Logger LOG = Logger.getLogger(WorkerAssignments.class);
    /** Oldest assignment a record is routed by; reading the group takes a millisecond or two. */
    private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    @Inject
    FarmConfig config;

    @Inject
    Admin admin;

    private volatile Map<String, Map<String, List<Integer>>> partitionsByTopic = Map.of();
    private volatile Set<String> excluded = Set.of();
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private volatile boolean warned;
    private long lastRefresh = System.nanoTime() - MAX_AGE_NANOS;

    /** The partition for the next record on the topic, in turn over the workers in service, or empty to let the record's key choose. */
    public OptionalInt nextPartition(String topic) {
        refreshIfStale();
        Map<String, List<Integer>> members = new HashMap<>(partitionsByTopic.getOrDefault(topic, Map.of()));
        if (!excluded.containsAll(members.keySet())) {
            members.keySet().removeAll(excluded);
        }
        return PartitionRotation.of(members).partition(sent.computeIfAbsent(topic, t -> new AtomicLong()).getAndIncrement());
    }

    /** Each worker's partitions of the offer topic, by worker id (empty until the group can be read). */
    public Map<String, List<Integer>> offerPartitionsByWorker() {
        refreshIfStale();
        return partitionsByTopic.getOrDefault(Topics.CHUNK_OFFERS, Map.of());
    }

    /** Workers out of service (drained, quarantined), which get no prepare or stitch task while another worker can take it. */
    public void exclude(Set<String> workers) {
        excluded = Set.copyOf(workers);
    }

    /** Reads the group when the last read is older than {@link #MAX_AGE_NANOS}: a worker that joined since then gets its turn. */
    private synchronized void refreshIfStale() {
        if (System.nanoTime() - lastRefresh <= MAX_AGE_NANOS) {
            return;
        }
        lastRefresh = System.nanoTime();
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(config.kafka().workerGroup())).all()
                    .get(5, TimeUnit.SECONDS).get(config.kafka().workerGroup());
            Map<String, Map<String, List<Integer>>> byTopic = new HashMap<>();
            for (MemberDescription member : group.members()) {
                // workers join as static members named by their worker id
                String worker = member.groupInstanceId().orElse(member.clientId());
                for (TopicPartition partition : member.assignment().topicPartitions()) {
                    byTopic.computeIfAbsent(partition.topic(), t -> new HashMap<>()).computeIfAbsent(worker, m -> new ArrayList<>())
                            .add(partition.partition());
                }
            }
            partitionsByTopic = Map.copyOf(byTopic);
            warned = false;
        } catch (ExecutionException e) {
            partitionsByTopic = Map.of();
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                warnOnce(e.getCause().toString());
            }
        } catch (TimeoutException | RuntimeException e) {
            partitionsByTopic = Map.of();
            warnOnce(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** No workers yet is normal at start-up; an unreadable group is worth one line until it can be read again. */
    private void warnOnce(String reason) {
        if (!warned) {
            warned = true;
            LOG.warnf("cannot read the workers' group %s (%s); chunks wait and tasks follow their keys until it can be read", config.kafka().workerGroup(),
                    reason);
        }
    }


}
