package facefarm.coordinator.config;

import facefarm.common.messaging.Topics;
import facefarm.storage.ObjectStore;
import facefarm.storage.StorageException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** The object store and Kafka admin clients, and the farm's topics, created at start-up with enough partitions. */
@ApplicationScoped
public class Infrastructure {
    private static final Logger LOG = Logger.getLogger(Infrastructure.class);

    /** Made without a request to S3, so an S3 outage while the coordinator starts fails only what needs S3. */
    @Produces
    @Singleton
    ObjectStore objectStore(FarmConfig config) {
        return new ObjectStore(config.s3().endpoint(), config.s3().publicEndpoint().orElse(config.s3().endpoint()), config.s3().accessKey(),
                config.s3().secretKey(), config.s3().bucket(), java.time.Duration.ZERO);
    }

    void ensureBucket(@Observes StartupEvent event, ObjectStore store) {
        try {
            store.ensureBucket();
        } catch (StorageException e) {
            LOG.warnf("cannot reach the bucket yet (%s); uploads and jobs answer 503 until S3 answers", e.getMessage());
        }
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    /** One admin client for reading the workers' group and offsets (routing and gauges), made on first use. */
    @Produces
    @Singleton
    Admin kafkaAdmin(@Identifier("default-kafka-broker") Map<String, Object> kafkaSettings) {
        return Admin.create(AdminSettings.of(kafkaSettings));
    }

    void close(@Disposes Admin admin) {
        admin.close();
    }

    void createTopics(@Observes StartupEvent event, FarmConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaSettings) {
        Object bootstrap = kafkaSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(AdminSettings.of(kafkaSettings))) {
            for (String topic : List.of(Topics.CHUNK_OFFERS, Topics.TASKS, Topics.CHUNK_EVENTS, Topics.WORKER_HEARTBEATS, Topics.DEAD_LETTERS,
                    Topics.FENCES)) {
                try {
                    admin.createTopics(List.of(newTopic(topic, config))).all().get();
                    LOG.infof("created topic %s", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static NewTopic newTopic(String topic, FarmConfig config) {
        return new NewTopic(topic, Topics.partitions(topic, config.kafka().partitions()), config.kafka().replicationFactor())
                .configs(Topics.config(topic));
    }
}
