package facefarm.coordinator.access;

import facefarm.common.access.BuiltInCredentials;
import facefarm.common.access.Tenants;
import facefarm.coordinator.config.FarmConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At start-up, before any work: refuse the embedded stack's public credentials outside it, say when Kafka is open,
 * and install the bootstrap operator token.
 */
@ApplicationScoped
public class AccessSetup {
    private static final Logger LOG = Logger.getLogger(AccessSetup.class);

    @Inject
    FarmConfig config;

    @Inject
    ApiTokens tokens;

    @ConfigProperty(name = "quarkus.datasource.password")
    String databasePassword;

    @ConfigProperty(name = "kafka.security.protocol", defaultValue = "PLAINTEXT")
    String kafkaProtocol;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (!config.embedded()) {
            String refusal = BuiltInCredentials.refusal("the coordinator", Map.of("FARM_DB_PASSWORD", databasePassword,
                    "FARM_S3_ACCESS_KEY", config.s3().accessKey(), "FARM_S3_SECRET_KEY", config.s3().secretKey()));
            if (refusal != null) {
                throw new IllegalStateException(refusal);
            }
            if ("PLAINTEXT".equalsIgnoreCase(kafkaProtocol)) {
                LOG.warn("Kafka is reached without SASL or TLS: anyone who reaches the broker can read offers and forge worker events; "
                        + "set security.protocol and sasl.* in the file FARM_KAFKA_PROPERTIES names");
            }
        }
        config.access().bootstrapTokenHash().ifPresent(hash -> {
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("farm.access.bootstrap-token-hash must be the SHA-256 of a token in lower-case hex (64 characters)");
            }
            tokens.install(config.access().bootstrapTokenName(), hash, Tenants.DEFAULT, Role.OPERATOR);
        });
    }
}
