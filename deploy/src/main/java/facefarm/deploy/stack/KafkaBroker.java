package facefarm.deploy.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/** A real single-node KRaft Kafka broker, run from the Kafka jars as a child JVM on loopback. */
public final class KafkaBroker implements AutoCloseable {
    private final ChildProcess process;
    private final int port;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a broker in {@code dir}. A broker that ran there before is started again on its data and its ports (the
     * KRaft quorum remembers its controller's address), so topics, offsets and queued offers survive a restart.
     */
    public static KafkaBroker start(Path dir, String classPath, int partitions) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dir, classPath, partitions);
            } catch (PortTaken e) {
                // a free port picked here was taken by another program before the broker bound it: fresh ports, fresh storage
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                deleteQuietly(dir.resolve("data"));
                deleteQuietly(dir.resolve("server.properties"));
            }
        }
    }

    private static final int PORT_ATTEMPTS = 3;

    /** A fresh broker lost one of its ports between choosing and binding it. */
    private static final class PortTaken extends RuntimeException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static void deleteQuietly(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // nothing there, or nothing to keep: the next start formats afresh either way
        }
    }

    private static KafkaBroker startOnce(Path dir, String classPath, int partitions) {
        Path config = dir.resolve("server.properties");
        boolean formatted = Files.isRegularFile(dir.resolve("data").resolve("meta.properties")) && Files.isRegularFile(config);
        try {
            int[] ports = formatted ? earlierPorts(config) : Ports.free(2);
            int port = ports[0];
            int controllerPort = ports[1];
            if (formatted && (Ports.isOpen(port) || Ports.isOpen(controllerPort))) {
                throw new IllegalStateException("Kafka's ports " + port + " and " + controllerPort + " (kept in " + config
                        + ") are taken by another program: stop it, or start afresh with ./farm down --purge");
            }
            Files.createDirectories(dir);
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                    "num.partitions=" + partitions,
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "log.retention.hours=168",
                    ""));
            // the embedded broker carries a few messages a second: the quick compiler alone leaves the cores to the workers
            List<String> jvm = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath);
            if (!formatted) {
                format(dir, config, jvm);
            }
            ChildProcess broker = ChildProcess.startJava("kafka", jvm, List.of("kafka.Kafka", config.toString()), Map.of(), dir.resolve("kafka.log"), true);
            try {
                Ports.await(port, Duration.ofSeconds(90), broker::isAlive, "Kafka broker");
            } catch (IllegalStateException e) {
                broker.close();
                String log = broker.logTail(30);
                if (!formatted && log.contains("Address already in use")) {
                    throw new PortTaken(e.getMessage() + "\n" + log);
                }
                throw new IllegalStateException(e.getMessage() + "\n" + log, e);
            }
            return new KafkaBroker(broker, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
    }

    private static int[] earlierPorts(Path config) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(config)) {
            properties.load(reader);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PLAINTEXT://127\\.0\\.0\\.1:(\\d+),CONTROLLER://127\\.0\\.0\\.1:(\\d+)")
                .matcher(properties.getProperty("listeners", ""));
        if (!m.find()) {
            throw new IllegalStateException("cannot read the ports of the earlier broker from " + config + ": start afresh with ./farm down --purge");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static void format(Path dir, Path config, List<String> jvm) throws InterruptedException {
        ChildProcess formatter = ChildProcess.startJava("kafka-storage-format", jvm,
                List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone"),
                Map.of(), dir.resolve("format.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (formatter.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (formatter.isAlive() || !Files.isRegularFile(dir.resolve("data").resolve("meta.properties"))) {
            formatter.close();
            throw new IllegalStateException("formatting Kafka storage failed:\n" + formatter.logTail(20));
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the broker at once (SIGKILL), as a crash would. */
    public void kill() {
        process.kill();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
