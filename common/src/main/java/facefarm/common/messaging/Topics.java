package facefarm.common.messaging;

/** Kafka topic names. Code refers to channels; configuration maps channels to these topics. */
public final class Topics {
    public static final String CHUNK_OFFERS = "farm.chunks.v1";
    /** Prepare and stitch tasks: apart from chunk offers, so a new job is not queued behind other jobs' chunks. */
    public static final String TASKS = "farm.tasks.v1";
    /** Chunk events and prepare/stitch task events, keyed by job. */
    public static final String CHUNK_EVENTS = "farm.chunk-events.v1";
    public static final String WORKER_HEARTBEATS = "farm.workers.v1";
    public static final String DEAD_LETTERS = "farm.dlq.v1";
    /** The workers' consumer group on the offer and task topics (FARM_WORKER_GROUP overrides it on both sides). */
    public static final String WORKER_GROUP = "facefarm-workers";

    private Topics() {
    }
}
