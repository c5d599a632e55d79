package facefarm.coordinator.config;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The coordinator's Kafka settings ({@code kafka.*}, with SASL and TLS) cut down to what an admin client takes. */
public final class AdminSettings {
    private static final Set<String> ADMIN = AdminClientConfig.configNames();

    private AdminSettings() {
    }

    public static Map<String, Object> of(Map<String, Object> kafkaSettings) {
        return kafkaSettings.entrySet().stream().filter(e -> ADMIN.contains(e.getKey())).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
