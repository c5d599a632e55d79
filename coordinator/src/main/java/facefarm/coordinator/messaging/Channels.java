package facefarm.coordinator.messaging;

/** Channel names used in code; application.properties maps each to its topic (see Topics). */
public final class Channels {
    public static final String CHUNK_OFFERS = "chunk-offers";
    public static final String TASKS = "tasks";
    public static final String CHUNK_EVENTS = "chunk-events";
    public static final String WORKER_HEARTBEATS = "worker-heartbeats";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String FENCES = "fences";

    private Channels() {
    }
}
