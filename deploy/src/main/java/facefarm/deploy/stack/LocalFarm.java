package facefarm.deploy.stack;

import facefarm.common.access.TokenSecrets;
import facefarm.common.messaging.Topics;
import facefarm.worker.provenance.c2pa.SigningCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The whole farm on one machine, on loopback: a real Kafka broker, PostgreSQL and S3 server, the coordinator and N
 * worker processes. Everything lives under one folder and stops with {@link #close()}.
 */
public final class LocalFarm implements AutoCloseable {
    /**
     * @param env extra environment for the coordinator and workers (FARM_MODEL_PATH, FARM_OFFLINE, ...), over the launcher's own
     */
    public record Settings(Path home, int workers, Duration heartbeatTimeout, Duration workerSessionTimeout, int partitions, Map<String, String> env,
                           Lifecycle lifecycle) {
        public static Settings defaults(Path home, int workers) {
            return new Settings(home, workers, Duration.ofSeconds(20), Duration.ofSeconds(15), Math.max(12, workers * 2), Map.of(), Lifecycle.FRESH);
        }

        public Settings withTimeouts(Duration heartbeat, Duration workerSession) {
            return new Settings(home, workers, heartbeat, workerSession, partitions, env, lifecycle);
        }

        public Settings withEnv(Map<String, String> extra) {
            Map<String, String> merged = new HashMap<>(env);
            merged.putAll(extra);
            return new Settings(home, workers, heartbeatTimeout, workerSessionTimeout, partitions, Map.copyOf(merged), lifecycle);
        }

        public Settings with(Lifecycle lifecycle) {
            return new Settings(home, workers, heartbeatTimeout, workerSessionTimeout, partitions, env, lifecycle);
        }
    }

    /**
     * @param keepState start on the jobs, objects and topics of the last run in the same home (./farm up), or afresh
     * @param supervised restart any part that dies (see {@link Supervisor})
     */
    public record Lifecycle(boolean keepState, boolean supervised) {
        public static final Lifecycle FRESH = new Lifecycle(false, false);
        /** What ./farm up runs: state kept across down/up, parts restarted when they die. */
        public static final Lifecycle SERVICE = new Lifecycle(true, true);
    }

    private final FarmLayout layout;
    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<ChildProcess> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile KafkaBroker kafka;
    private volatile PostgresServer postgres;
    private volatile S3Server s3;
    private volatile ChildProcess coordinator;
    private Supervisor supervisor;
    private int httpPort;
    private String token;

    private LocalFarm(FarmLayout layout, Settings settings) {
        this.layout = layout;
        this.settings = settings;
    }

    public static LocalFarm start(FarmLayout layout, Settings settings, java.util.function.Consumer<String> status) {
        LocalFarm farm = new LocalFarm(layout, settings);
        try {
            farm.startAll(status);
            return farm;
        } catch (RuntimeException e) {
            farm.close();
            throw e;
        }
    }

    private void startAll(java.util.function.Consumer<String> status) {
        Path run = runDir();
        if (!settings.lifecycle().keepState()) {
            deleteTree(run);
        }
        status.accept("starting Kafka, PostgreSQL and S3 on loopback");
        KafkaBroker[] broker = new KafkaBroker[1];
        RuntimeException[] kafkaError = new RuntimeException[1];
        Thread kafkaStarter = new Thread(() -> {
            try {
                broker[0] = KafkaBroker.start(run.resolve("kafka"), layout.brokerClassPath(), settings.partitions());
            } catch (RuntimeException e) {
                kafkaError[0] = e;
            }
        }, "kafka-starter");
        kafkaStarter.start();
        postgres = track(PostgresServer.start(run.resolve("postgres")));
        s3 = track(S3Server.start(run.resolve("s3")));
        try {
            kafkaStarter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broker[0] != null) {
            kafka = track(broker[0]);
        }
        if (kafkaError[0] != null) {
            throw kafkaError[0];
        }
        createWorkTopics();
        token = LocalToken.ensure(settings.home());
        status.accept("starting the coordinator");
        httpPort = Ports.free();
        coordinator = track(startCoordinator(false));
        // workers need only Kafka, S3 and the work topics, so their JVMs start beside the coordinator's
        status.accept("starting " + settings.workers() + " worker(s)");
        for (int i = 1; i <= settings.workers(); i++) {
            startWorker("worker-" + i);
        }
        awaitCoordinator();
        awaitWorkerGroup();
        if (settings.lifecycle().supervised()) {
            supervise(run);
        }
        status.accept("farm ready at " + apiUrl() + " with " + settings.workers() + " worker(s)");
    }

    private void supervise(Path run) {
        supervisor = new Supervisor(run.resolve("supervisor.json"));
        supervisor.watch("kafka", Supervisor.part(() -> kafka.isAlive(), () -> replaceKafka(run)));
        supervisor.watch("postgres", Supervisor.part(() -> Ports.isOpen(postgres.port()), () -> replacePostgres(run)));
        supervisor.watch("coordinator", Supervisor.part(() -> coordinator.isAlive(), this::replaceCoordinator));
        for (ChildProcess worker : workers) {
            String id = worker.name();
            supervisor.watch(id, Supervisor.part(() -> worker(id).isAlive(), () -> replaceWorker(id)));
        }
        supervisor.start();
    }

    private ChildProcess worker(String id) {
        return workers.stream().filter(w -> w.name().equals(id)).findFirst().orElseThrow();
    }

    private void replaceWorker(String id) {
        ChildProcess old = worker(id);
        workers.remove(old);
        old.close();
        startWorker(id, true);
    }

    private void replaceKafka(Path run) {
        KafkaBroker old = kafka;
        started.remove(old);
        old.close();
        kafka = track(KafkaBroker.start(run.resolve("kafka"), layout.brokerClassPath(), settings.partitions()));
    }

    private void replacePostgres(Path run) {
        PostgresServer old = postgres;
        started.remove(old);
        closeQuietly(old);
        postgres = track(PostgresServer.start(run.resolve("postgres"), old.port()));
    }

    /** Stops the broker and starts it again on its data and ports, as an operator's restart would. */
    public void restartKafka() {
        pausing("kafka", () -> replaceKafka(runDir()));
    }

    /** Stops PostgreSQL and starts it again on its data and port. */
    public void restartPostgres() {
        pausing("postgres", () -> replacePostgres(runDir()));
    }

    /** Stops the S3 server for {@code outage}, then starts it again on the same objects and port. */
    public void interruptS3(Duration outage) {
        S3Server old = s3;
        started.remove(old);
        old.close();
        sleep(outage.toMillis());
        s3 = track(S3Server.start(runDir().resolve("s3"), old.port()));
    }

    private void pausing(String part, Runnable action) {
        if (supervisor != null) {
            supervisor.pause(part);
        }
        try {
            action.run();
        } finally {
            if (supervisor != null) {
                supervisor.resume(part);
            }
        }
    }

    /** What the supervisor did so far: restarts per part (empty when the farm is not supervised). */
    public Map<String, Supervisor.Record> supervision() {
        return supervisor == null ? Map.of() : supervisor.records();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.getLogger(LocalFarm.class.getName()).log(System.Logger.Level.DEBUG, "stopping " + resource + " failed", e);
        }
    }

    /**
     * The work topics exist before the workers subscribe (the coordinator creates them too, for deployments): the
     * workers start beside the coordinator, and their group must settle once, with every partition.
     */
    private void createWorkTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            admin.createTopics(Stream.of(Topics.CHUNK_OFFERS, Topics.TASKS, Topics.FENCES, Topics.WORKER_HEARTBEATS)
                    .map(topic -> new NewTopic(topic, Topics.partitions(topic, settings.partitions()), (short) 1).configs(Topics.config(topic)))
                    .toList()).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                return;
            }
            throw new IllegalStateException("cannot create the work topics on " + kafka.bootstrap() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the work topics", e);
        }
    }

    private ChildProcess startCoordinator(boolean appendLog) {
        return startCoordinator("coordinator", httpPort, appendLog);
    }

    /** Another coordinator on the same database, broker and bucket (as a second replica would be), on its own port. */
    public record ExtraCoordinator(ChildProcess process, String apiUrl) {
    }

    public ExtraCoordinator startExtraCoordinator(String name) {
        int port = Ports.free();
        ChildProcess process = track(startCoordinator(name, port, false));
        ExtraCoordinator extra = new ExtraCoordinator(process, "http://127.0.0.1:" + port);
        awaitReady(process, extra.apiUrl());
        return extra;
    }

    private ChildProcess startCoordinator(String name, int port, boolean appendLog) {
        Map<String, String> env = commonEnv();
        env.put("FARM_HTTP_PORT", Integer.toString(port));
        env.put("FARM_HTTP_HOST", "127.0.0.1");
        env.put("FARM_DB_URL", postgres.jdbcUrl());
        env.put("FARM_DB_USER", postgres.user());
        env.put("FARM_DB_PASSWORD", "postgres");
        env.put("FARM_HEARTBEAT_TIMEOUT", settings.heartbeatTimeout().toMillis() + "ms");
        env.put("FARM_KAFKA_PARTITIONS", Integer.toString(settings.partitions()));
        env.put("FARM_ACCESS_BOOTSTRAP_TOKEN_HASH", TokenSecrets.hash(token));
        List<String> jvm = new ArrayList<>(jvmArgs("1g"));
        // a control plane's load is light: the quick compiler alone starts it sooner and leaves the cores to the workers
        jvm.add("-XX:TieredStopAtLevel=1");
        return ChildProcess.startJava(name, jvm, List.of("-jar", layout.coordinatorJar().toString()), env,
                settings.home().resolve("logs").resolve(name + ".log"), appendLog);
    }

    /** Starts the coordinator again on the same port and database (after a test killed it) and waits until it is ready. */
    public void restartCoordinator() {
        if (coordinator.isAlive()) {
            throw new IllegalStateException("the coordinator is still running");
        }
        replaceCoordinator();
        awaitCoordinator();
    }

    /** The coordinator started again on the same port and database, its log appended to. */
    private void replaceCoordinator() {
        started.remove(coordinator);
        coordinator = track(startCoordinator(true));
    }

    /** Starts one more worker process (also used to replace a killed one). */
    public ChildProcess startWorker(String id) {
        return startWorker(id, false);
    }

    private ChildProcess startWorker(String id, boolean appendLog) {
        Map<String, String> env = commonEnv();
        env.put("FARM_WORKER_ID", id);
        env.put("FARM_WORK_DIR", runDir().resolve("workers").resolve(id).toString());
        env.put("FARM_KAFKA_SESSION_TIMEOUT_MS", Long.toString(settings.workerSessionTimeout().toMillis()));
        if (!env.containsKey("FARM_C2PA_KEY")) {
            // every worker of this farm signs with the same local key, made once in FARM_HOME/c2pa
            SigningCredentials.local(c2paDir(settings.home()), "facefarm");
            env.put("FARM_C2PA_KEY", c2paDir(settings.home()).resolve("signing.key").toString());
            env.put("FARM_C2PA_CHAIN", c2paDir(settings.home()).resolve("signing-chain.pem").toString());
        }
        List<String> jvm = new ArrayList<>(jvmArgs("1g"));
        jvm.add("-Djava.util.logging.manager=facefarm.worker.WorkerLogManager");
        ChildProcess worker = ChildProcess.startJava(id, jvm, List.of("-cp", layout.workerClassPath(), "facefarm.worker.WorkerMain"), env,
                settings.home().resolve("logs").resolve(id + ".log"), appendLog);
        workers.add(worker);
        return worker;
    }

    /**
     * Waits until every worker has joined the consumer group and the group is stable. A job offered while workers
     * are still joining is moved between them by the rebalances, and a chunk already running is then run twice.
     */
    private void awaitWorkerGroup() {
        if (settings.workers() == 0) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            while (System.nanoTime() < deadline) {
                for (ChildProcess worker : workers) {
                    if (!worker.isAlive()) {
                        throw new IllegalStateException("worker " + worker.name() + " exited during start-up; its log (" + worker.log() + ") ends with:\n"
                                + worker.logTail(25));
                    }
                }
                if (groupStable(admin)) {
                    return;
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("the workers did not all join their consumer group within 180 s; see " + settings.home().resolve("logs"));
    }

    private boolean groupStable(Admin admin) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Topics.WORKER_GROUP)).all().get().get(Topics.WORKER_GROUP);
            // every partition of both work topics assigned: a group that settled before a topic existed rebalances
            // again when it appears, and moves queued offers between workers
            long assigned = group.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(p -> p.topic().equals(Topics.CHUNK_OFFERS) || p.topic().equals(Topics.TASKS)).count();
            return group.groupState() == GroupState.STABLE && group.members().size() >= settings.workers() && assigned == 2L * settings.partitions();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw new IllegalStateException("cannot see the workers' consumer group on " + kafka.bootstrap() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        }
    }

    /**
     * Where the embedded farm keeps its local C2PA signing key, chain and root (root.pem: the anchor a reader must be
     * given to trust this farm's credentials; no one else trusts it).
     */
    public static Path c2paDir(Path home) {
        return home.resolve("c2pa");
    }

    private Map<String, String> commonEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("FARM_HOME", settings.home().toString());
        // loopback servers with the built-in credentials: the services accept those only here
        env.put("FARM_EMBEDDED", "true");
        env.put("FARM_KAFKA_BOOTSTRAP", kafka.bootstrap());
        env.put("FARM_S3_ENDPOINT", s3.endpoint());
        env.put("FARM_S3_ACCESS_KEY", S3Server.ACCESS_KEY);
        env.put("FARM_S3_SECRET_KEY", S3Server.SECRET_KEY);
        env.put("FARM_S3_BUCKET", "facefarm");
        env.putAll(settings.env());
        return env;
    }

    private List<String> jvmArgs(String heap) {
        return List.of("-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dorg.bytedeco.javacpp.cachedir=" + layout.nativeCache(),
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
    }

    private void awaitCoordinator() {
        awaitReady(coordinator, apiUrl());
    }

    private static void awaitReady(ChildProcess coordinator, String apiUrl) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!coordinator.isAlive()) {
                throw new IllegalStateException("the coordinator exited during start-up; its log (" + coordinator.log() + ") ends with:\n"
                        + coordinator.logTail(25));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the coordinator", e);
            }
            sleep(250);
        }
        throw new IllegalStateException("the coordinator did not become ready within 180 s; see " + coordinator.log());
    }

    /**
     * Where the servers keep their data: {@code state/} for a farm that keeps it across runs (./farm up), {@code run/}
     * for a one-off farm that starts afresh (./farm render, the tests), so neither ever wipes the other's.
     */
    public Path runDir() {
        return runDir(settings.home(), settings.lifecycle());
    }

    public static Path runDir(Path home, Lifecycle lifecycle) {
        return home.resolve(lifecycle.keepState() ? "state" : "run");
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The farm's operator token (also in $FARM_HOME/token). */
    public String token() {
        return token;
    }

    /** A client of this farm's API, as its operator. */
    public facefarm.deploy.cli.CoordinatorClient client() {
        return new facefarm.deploy.cli.CoordinatorClient(apiUrl(), token);
    }

    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** The farm's database, for tests that look under the API (user and password "postgres"). */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public List<ChildProcess> workers() {
        return List.copyOf(workers);
    }

    public ChildProcess coordinator() {
        return coordinator;
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    /**
     * Stops the workers and the coordinator together, then the servers together: each waits for its own graceful
     * shutdown, and none of them needs another to stop.
     */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        List<AutoCloseable> processes = new ArrayList<>(workers);
        List<AutoCloseable> servers = new ArrayList<>(started);
        if (coordinator != null) {
            servers.remove(coordinator);
            processes.add(coordinator);
        }
        closeTogether(processes);
        closeTogether(servers);
        started.clear();
    }

    private static void closeTogether(List<AutoCloseable> resources) {
        List<Thread> stopping = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            Thread thread = new Thread(() -> {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.getLogger(LocalFarm.class.getName()).log(System.Logger.Level.WARNING, "stopping " + resource + " failed", e);
                }
            }, "stopping-" + resource);
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir, e);
        }
    }
}
