package facefarm.common.messaging;

import java.time.Instant;

/**
 * What every message on the farm's topics looks like: identity, type and schema version, time, the process that
 * sent it, the job it belongs to (for correlation), then the payload.
 */
public record Envelope<T>(String id, MessageType type, int schemaVersion, Instant time, String source, String jobId, T payload) {
}
