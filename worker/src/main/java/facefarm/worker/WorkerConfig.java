package facefarm.worker;

import facefarm.common.messaging.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Everything a worker process is told, from FARM_* environment variables; the defaults live here and nowhere else. */
public record WorkerConfig(
        String workerId,
        String kafkaBootstrap,
        String consumerGroup,
        Duration sessionTimeout,
        Duration heartbeatInterval,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        Path workDir) {

    /**
     * How long the presigned URLs a task reads S3 through stay valid: longer than the slowest chunk, prepare or stitch
     * (S3 allows at most 7 days).
     */
    public static final Duration READ_URL_LIFETIME = Duration.ofHours(12);

    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String id = env.getOrDefault("FARM_WORKER_ID", hostName() + "-" + ProcessHandle.current().pid());
        Path home = Path.of(env.getOrDefault("FARM_HOME", ".farm"));
        return new WorkerConfig(
                id,
                env.getOrDefault("FARM_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                env.getOrDefault("FARM_WORKER_GROUP", Topics.WORKER_GROUP),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("FARM_KAFKA_SESSION_TIMEOUT_MS", "45000"))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("FARM_HEARTBEAT_MS", "2000"))),
                env.getOrDefault("FARM_S3_ENDPOINT", "http://127.0.0.1:9000"),
                env.getOrDefault("FARM_S3_ACCESS_KEY", "facefarm"),
                env.getOrDefault("FARM_S3_SECRET_KEY", "facefarm-secret"),
                env.getOrDefault("FARM_S3_BUCKET", "facefarm"),
                Path.of(env.getOrDefault("FARM_WORK_DIR", home.resolve("work").resolve(id).toString())));
    }

    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
