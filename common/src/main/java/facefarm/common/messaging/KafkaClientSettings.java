package facefarm.common.messaging;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Extra Kafka client settings for every producer, consumer and admin client of the farm, from the properties file
 * named by {@code FARM_KAFKA_PROPERTIES}: SASL and TLS ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...) are passed through as the operator wrote them.
 */
public final class KafkaClientSettings {
    public static final String ENV = "FARM_KAFKA_PROPERTIES";

    private KafkaClientSettings() {
    }

    /** The file's settings, or none when {@code file} is null or blank. */
    public static Map<String, Object> load(String file) {
        Map<String, Object> settings = new TreeMap<>();
        if (file == null || file.isBlank()) {
            return settings;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(ENV + " names " + file + ", which cannot be read (" + e.getMessage()
                    + "): point it at a Kafka client properties file, or unset it", e);
        }
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).trim()));
        return settings;
    }

    /** The file named by the environment's {@code FARM_KAFKA_PROPERTIES}, under {@code base} (base wins on conflicts it sets later). */
    public static Map<String, Object> withEnvironment(Map<String, String> env, Map<String, Object> base) {
        Map<String, Object> merged = new TreeMap<>(load(env.get(ENV)));
        merged.putAll(base);
        return merged;
    }
}
