package facefarm.deploy.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3 API (s3proxy) over a local folder, on loopback, with SigV4 authentication. */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "facefarm";
    public static final String SECRET_KEY = "facefarm-secret";

    private final S3Proxy proxy;
    private final int port;

    private S3Server(S3Proxy proxy, int port) {
        this.proxy = proxy;
        this.port = port;
    }

    public static S3Server start(Path dir) {
        return start(dir, Ports.free());
    }

    /** On {@code port}, over the objects already in {@code dir}. */
    public static S3Server start(Path dir, int port) {
        return start(dir, "127.0.0.1", port, ACCESS_KEY, SECRET_KEY);
    }

    /** On {@code host:port} with the given credentials (a container's S3 service listens on every address). */
    public static S3Server start(Path dir, String host, int port, String accessKey, String secretKey) {
        try {
            Files.createDirectories(dir);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                    .endpoint(URI.create("http://" + host + ":" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return new S3Server(proxy, port);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the S3 server in " + dir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the S3 server", e);
        }
    }
}
