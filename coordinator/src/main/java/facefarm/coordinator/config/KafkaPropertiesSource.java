package facefarm.coordinator.config;

import facefarm.common.messaging.KafkaClientSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The Kafka client settings of the file {@code FARM_KAFKA_PROPERTIES} names (SASL, TLS), as {@code kafka.*}
 * configuration: every channel and admin client of the coordinator uses them, as the workers and the CLI do.
 * Environment variables and system properties still win.
 */
public class KafkaPropertiesSource implements ConfigSource {
    private final Map<String, String> properties = new TreeMap<>();

    public KafkaPropertiesSource() {
        KafkaClientSettings.load(System.getenv(KafkaClientSettings.ENV)).forEach((name, value) -> properties.put("kafka." + name, value.toString()));
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public String getName() {
        return KafkaClientSettings.ENV;
    }

    /** Above application.properties (250), below environment variables (300). */
    @Override
    public int getOrdinal() {
        return 275;
    }
}
