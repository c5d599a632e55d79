package facefarm.deploy.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded stack's S3 server on its own, for the container test, where no MinIO image can be pulled:
 * FARM_S3_DATA (a folder), FARM_S3_HOST and FARM_S3_PORT, FARM_S3_ACCESS_KEY and FARM_S3_SECRET_KEY.
 */
public final class S3ServerMain {
    private static final System.Logger LOG = System.getLogger(S3ServerMain.class.getName());

    private S3ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        S3Server server = S3Server.start(Path.of(env.getOrDefault("FARM_S3_DATA", "/data")), env.getOrDefault("FARM_S3_HOST", "0.0.0.0"),
                Integer.parseInt(env.getOrDefault("FARM_S3_PORT", "9000")), env.getOrDefault("FARM_S3_ACCESS_KEY", S3Server.ACCESS_KEY),
                env.getOrDefault("FARM_S3_SECRET_KEY", S3Server.SECRET_KEY));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3-shutdown"));
        LOG.log(System.Logger.Level.INFO, "S3 server ready on port {0}", server.port());
        Thread.currentThread().join();
    }
}
