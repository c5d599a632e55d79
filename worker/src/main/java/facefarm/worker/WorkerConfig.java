package facefarm.worker;

import facefarm.common.access.BuiltInCredentials;
import facefarm.common.messaging.KafkaClientSettings;
import facefarm.common.messaging.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a worker process is told, from FARM_* environment variables; the defaults live here and nowhere else.
 * {@code kafkaSettings} are what every Kafka client of the worker starts from: the bootstrap servers and the SASL/TLS
 * settings of the file FARM_KAFKA_PROPERTIES names.
 */
public record WorkerConfig(
        String workerId,
        String kafkaBootstrap,
        Map<String, Object> kafkaSettings,
        String consumerGroup,
        Duration sessionTimeout,
        Duration heartbeatInterval,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        Path workDir,
        long cacheBytes,
        Duration shutdownGrace,
        java.util.List<String> tags) {

    /**
     * How long the presigned URLs a task reads S3 through stay valid: longer than the slowest chunk, prepare or stitch
     * (S3 allows at most 7 days).
     */
    public static final Duration READ_URL_LIFETIME = Duration.ofHours(12);

    /** Disk for the jobs' source images and new audio a worker keeps: 10 GiB, least recently used jobs evicted first. */
    public static final long DEFAULT_CACHE_BYTES = 10L << 30;

    /**
     * How long a stopping worker (SIGTERM) may take to hand its chunk back, or to finish a prepare or stitch task, before
     * it exits anyway: inside Kubernetes' default grace of 30 s.
     */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

    /** How long a worker's S3 call waits for S3 to come back before the attempt fails: a restart, not an outage. */
    public static final Duration S3_OUTAGE_TOLERANCE = Duration.ofSeconds(60);

    /**
     * @throws IllegalArgumentException when a setting is unusable, or when the built-in credentials of the embedded
     *     stack are used outside it (FARM_EMBEDDED unset)
     */
    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String id = env.getOrDefault("FARM_WORKER_ID", hostName() + "-" + ProcessHandle.current().pid());
        Path home = Path.of(env.getOrDefault("FARM_HOME", ".farm"));
        if (!Boolean.parseBoolean(env.get("FARM_EMBEDDED"))) {
            String refusal = BuiltInCredentials.refusal("the worker", java.util.Map.of("FARM_S3_ACCESS_KEY", env.getOrDefault("FARM_S3_ACCESS_KEY", ""),
                    "FARM_S3_SECRET_KEY", env.getOrDefault("FARM_S3_SECRET_KEY", "")));
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
        String bootstrap = env.getOrDefault("FARM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        return new WorkerConfig(
                id,
                bootstrap,
                KafkaClientSettings.withEnvironment(env, Map.of("bootstrap.servers", bootstrap)),
                env.getOrDefault("FARM_WORKER_GROUP", Topics.WORKER_GROUP),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("FARM_KAFKA_SESSION_TIMEOUT_MS", "45000"))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("FARM_HEARTBEAT_MS", "2000"))),
                env.getOrDefault("FARM_S3_ENDPOINT", "http://127.0.0.1:9000"),
                env.getOrDefault("FARM_S3_ACCESS_KEY", "facefarm"),
                env.getOrDefault("FARM_S3_SECRET_KEY", "facefarm-secret"),
                env.getOrDefault("FARM_S3_BUCKET", "facefarm"),
                Path.of(env.getOrDefault("FARM_WORK_DIR", home.resolve("work").resolve(id).toString())),
                Long.parseLong(env.getOrDefault("FARM_CACHE_BYTES", Long.toString(DEFAULT_CACHE_BYTES))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("FARM_SHUTDOWN_GRACE_SECONDS", Long.toString(DEFAULT_SHUTDOWN_GRACE.toSeconds())))),
                WorkerTags.parse(env.get("FARM_WORKER_TAGS")));
    }

    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
