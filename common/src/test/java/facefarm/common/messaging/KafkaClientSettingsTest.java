package facefarm.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
    @TempDir
    Path dir;

    @Test
    void saslAndTlsSettingsArePassedThroughUnderTheClientsOwn() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="farm" password="s3cret";
                bootstrap.servers=ignored:9092
                """);
        Map<String, Object> merged = KafkaClientSettings.withEnvironment(Map.of(KafkaClientSettings.ENV, file.toString()),
                Map.of("bootstrap.servers", "broker:9093"));
        assertEquals("SASL_SSL", merged.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", merged.get("sasl.mechanism"));
        assertTrue(merged.get("sasl.jaas.config").toString().contains("username=\"farm\""));
        assertEquals("broker:9093", merged.get("bootstrap.servers"), "the client's own settings win");
        assertEquals(Map.of("bootstrap.servers", "b:1"), KafkaClientSettings.withEnvironment(Map.of(), Map.of("bootstrap.servers", "b:1")));
    }

    @Test
    void anUnreadableFileIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaClientSettings.load(dir.resolve("missing").toString()));
        assertTrue(e.getMessage().contains("FARM_KAFKA_PROPERTIES"), e.getMessage());
    }
}
