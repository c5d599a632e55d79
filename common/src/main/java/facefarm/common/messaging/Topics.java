package facefarm.common.messaging;

/** Kafka topic names. Code refers to channels; configuration maps channels to these topics. */
public final class Topics {
    public static final String CHUNK_OFFERS = "farm.chunks.v1";
    public static final String CHUNK_EVENTS = "farm.chunk-events.v1";
    public static final String WORKER_HEARTBEATS = "farm.workers.v1";
    public static final String DEAD_LETTERS = "farm.dlq.v1";

    private Topics() {
    }
}
