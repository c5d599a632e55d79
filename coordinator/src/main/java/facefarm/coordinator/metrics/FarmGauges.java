package facefarm.coordinator.metrics;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.JobState;
import facefarm.common.messaging.Topics;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.WorkerStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The farm's state as Prometheus gauges, read every {@link #EVERY} from the database and the broker (not at each
 * scrape): jobs and chunks by state, queued chunks, the workers' consumer lag on the offer topic, and each live
 * worker's frames/s. Every coordinator reports the same numbers; graph them with max().
 */
@Startup
@ApplicationScoped
public class FarmGauges {
    static final String EVERY = "10s";
    private static final Logger LOG = Logger.getLogger(FarmGauges.class);

    @Inject
    MeterRegistry registry;

    @Inject
    JobStore jobs;

    @Inject
    WorkerStore workers;

    @Inject
    FarmConfig config;

    @Inject
    Admin admin;

    private volatile JobStore.Counts counts = new JobStore.Counts(Map.of(), Map.of(), 0);
    private volatile long offerLag;
    private final Map<String, Double> workerFps = new ConcurrentHashMap<>();
    private final Set<String> workersRegistered = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void register() {
        for (JobState state : JobState.values()) {
            Gauge.builder("farm.jobs", () -> counts.jobs().getOrDefault(state.name(), 0L)).tag("state", state.name())
                    .description("jobs by state").register(registry);
        }
        for (ChunkState state : ChunkState.values()) {
            Gauge.builder("farm.chunks", () -> counts.chunks().getOrDefault(state.name(), 0L)).tag("state", state.name())
                    .description("chunks of unfinished jobs by state").register(registry);
        }
        Gauge.builder("farm.queue.depth", () -> counts.queued()).description("chunks of running jobs waiting for a free worker").register(registry);
        Gauge.builder("farm.offers.lag", () -> offerLag).description("offers on the chunk topic the workers have not committed yet").register(registry);
    }

    @Scheduled(every = EVERY, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            counts = jobs.counts();
            Map<String, Double> fps = workers.framesPerSecond(config.heartbeatTimeout());
            for (String id : fps.keySet()) {
                if (workersRegistered.add(id)) {
                    Gauge.builder("farm.worker.frames.per.second", workerFps, m -> m.getOrDefault(id, 0.0)).tag("worker", id)
                            .description("the worker's frames/s on its last chunk (0 while silent)").register(registry);
                }
            }
            workerFps.putAll(fps);
            offerLag = lag();
        } catch (RuntimeException e) {
            LOG.debugf("gauges not refreshed: %s", e.getMessage());
        }
    }

    /** End offsets of the offer topic minus what the workers' group committed. */
    private long lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.kafka().workerGroup())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < config.kafka().partitions(); p++) {
                ends.put(new TopicPartition(Topics.CHUNK_OFFERS, p), OffsetSpec.latest());
            }
            long lag = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS)
                    .entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
            return lag;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            return offerLag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return offerLag;
        }
    }
}
