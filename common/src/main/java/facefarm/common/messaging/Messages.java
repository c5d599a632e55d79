package facefarm.common.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.UUID;

/** JSON encoding of envelopes; decoding checks type and schema version so stale or foreign records are rejected. */
public final class Messages {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Messages() {
    }

    public static <T> String encode(String source, String jobId, T payload) {
        MessageType type = MessageType.of(payload.getClass());
        Envelope<T> envelope = new Envelope<>(UUID.randomUUID().toString(), type, type.schemaVersion(), Instant.now(), source, jobId, payload);
        try {
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type, e);
        }
    }

    /** The message type a record says it carries, or null when it is not an envelope with a known type. */
    public static MessageType typeOf(String json) {
        try {
            String type = JSON.readTree(json == null ? "" : json).path("type").asText("");
            for (MessageType known : MessageType.values()) {
                if (known.name().equals(type)) {
                    return known;
                }
            }
            return null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Decodes a record that must carry {@code expected}; anything else is an {@link InvalidMessageException}. */
    public static <T> Envelope<T> decode(String json, Class<T> expected) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("empty record");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("not JSON: " + e.getOriginalMessage(), e);
        }
        MessageType wanted = MessageType.of(expected);
        String type = tree.path("type").asText("");
        if (!wanted.name().equals(type)) {
            throw new InvalidMessageException("expected a " + wanted + " message, got type '" + type + "'");
        }
        int version = tree.path("schemaVersion").asInt(-1);
        if (version != wanted.schemaVersion()) {
            throw new InvalidMessageException(wanted + " schema version " + version + " is not supported (this build reads " + wanted.schemaVersion() + ")");
        }
        try {
            T payload = JSON.treeToValue(tree.path("payload"), expected);
            if (payload == null) {
                throw new InvalidMessageException(wanted + " message has no payload");
            }
            Instant time = tree.hasNonNull("time") ? Instant.parse(tree.get("time").asText()) : null;
            return new Envelope<>(tree.path("id").asText(null), wanted, version, time, tree.path("source").asText(null), tree.path("jobId").asText(null), payload);
        } catch (JsonProcessingException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new InvalidMessageException("malformed " + wanted + " payload: " + e.getMessage(), e);
        }
    }
}
