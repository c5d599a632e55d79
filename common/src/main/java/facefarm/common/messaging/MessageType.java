package facefarm.common.messaging;

/** Every message type on the farm's topics, with the payload record it carries and its schema version. */
public enum MessageType {
    CHUNK_OFFER(ChunkOffer.class, 9),
    CHUNK_EVENT(ChunkEvent.class, 3),
    PREPARE_TASK(PrepareTask.class, 5),
    STITCH_TASK(StitchTask.class, 3),
    TASK_EVENT(TaskEvent.class, 2),
    WORKER_HEARTBEAT(WorkerHeartbeat.class, 4),
    DEAD_LETTER(DeadLetter.class, 1),
    FENCE(Fence.class, 2),
    PROVENANCE_CHECK(ProvenanceCheck.class, 1),
    PROVENANCE_CHECK_RESULT(ProvenanceCheckResult.class, 1);

    private final Class<?> payloadType;
    private final int schemaVersion;

    MessageType(Class<?> payloadType, int schemaVersion) {
        this.payloadType = payloadType;
        this.schemaVersion = schemaVersion;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public static MessageType of(Class<?> payloadType) {
        for (MessageType type : values()) {
            if (type.payloadType == payloadType) {
                return type;
            }
        }
        throw new IllegalArgumentException("no message type carries " + payloadType.getName());
    }
}
