package facefarm.common.messaging;

import java.time.Duration;
import java.util.Map;

/** Kafka topic names. Code refers to channels; configuration maps channels to these topics. */
public final class Topics {
    public static final String CHUNK_OFFERS = "farm.chunks.v1";
    /** Prepare and stitch tasks: apart from chunk offers, so a new job is not queued behind other jobs' chunks. */
    public static final String TASKS = "farm.tasks.v1";
    /** Chunk events and prepare/stitch task events, keyed by job. */
    public static final String CHUNK_EVENTS = "farm.chunk-events.v1";
    /**
     * Heartbeats, on one partition: read in the order they were written, so once the coordinator has handled a recent
     * heartbeat of any worker it has handled every earlier one, and a worker missing from them really was silent (with
     * several partitions, one could be held by a dead coordinator while the others flow, and live workers looked dead).
     */
    public static final String WORKER_HEARTBEATS = "farm.workers.v2";
    public static final String DEAD_LETTERS = "farm.dlq.v1";
    /** Which jobs are closed and which chunk attempts are superseded: compacted, read whole by every worker. */
    public static final String FENCES = "farm.fences.v1";
    /** The workers' consumer group on the offer and task topics (FARM_WORKER_GROUP overrides it on both sides). */
    public static final String WORKER_GROUP = "facefarm-workers";

    /**
     * The fence topic's settings: compacted to the newest fence per job and chunk, and fences older than the offers'
     * own retention (7 days) dropped, since no offer they could stop is left.
     */
    private static final Map<String, String> FENCE_CONFIG = Map.of("cleanup.policy", "compact,delete", "retention.ms",
            Long.toString(Duration.ofDays(7).toMillis()));

    private Topics() {
    }

    /**
     * Partitions a topic is created with: one for heartbeats and fences (see their notes: read in order, read whole),
     * {@code workPartitions} (farm.kafka.partitions) for the others.
     */
    public static int partitions(String topic, int workPartitions) {
        return topic.equals(WORKER_HEARTBEATS) || topic.equals(FENCES) ? 1 : workPartitions;
    }

    /** Settings a topic is created with beyond the broker's defaults. */
    public static Map<String, String> config(String topic) {
        return topic.equals(FENCES) ? FENCE_CONFIG : Map.of();
    }
}
