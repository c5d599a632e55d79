package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import facefarm.common.access.TokenSecrets;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The farm as an operator runs it: Kafka, PostgreSQL, an S3 server, the coordinator and two workers (the CPU image and
 * the GPU image, which falls back to the CPU here) as separate containers on one Docker network, each with its own
 * network namespace and filesystem, as on separate hosts. The images are the project's own Dockerfiles, built here
 * from a debootstrap base because no registry is reachable. A job renders with a swap while one worker container is
 * killed, and completes with every frame and the audio; the lossless output equals a one-chunk render frame for frame.
 */
class ContainerFarmTest {
    private static final Path ROOT = Path.of(System.getProperty("farm.root", "..")).toAbsolutePath().normalize();
    private static final Duration IMAGE_BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final String TOKEN = TokenSecrets.newSecret();
    private static final String S3_KEY = "farm-container-test";
    private static final String S3_SECRET = TokenSecrets.newSecret();
    private static final String DB_PASSWORD = TokenSecrets.newSecret();
    private static final List<GenericContainer<?>> STARTED = new ArrayList<>();
    private static Network network;
    private static GenericContainer<?> coordinator;
    private static final List<GenericContainer<?>> WORKERS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startTheFarmAsContainers() throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "skipped: no Docker daemon (start one: apt-get install docker.io debootstrap; dockerd --storage-driver=vfs &)");
        Path models = SharedFiles.modelsDir();
        Path gpuClassPath = ROOT.resolve("worker/gpu/target/classpath.txt");
        assertTrue(Files.isRegularFile(gpuClassPath), "build the GPU worker first (./mvnw install builds worker/gpu): " + gpuClassPath);
        long started = System.nanoTime();
        String base = script("deploy/docker/base-image.sh").trim();
        script("deploy/docker/build-images.sh", "--no-maven", "--gpu", "--base", base, "--gpu-base", base, "--tag", "test");
        script("deploy/docker/test/build-test-images.sh");
        System.err.printf("container farm: images built in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());

        network = Network.newNetwork();
        GenericContainer<?> postgres = start(new GenericContainer<>(image("facefarm-test/postgres:latest")).withNetworkAliases("postgres")
                .withEnv(Map.of("POSTGRES_USER", "facefarm", "POSTGRES_PASSWORD", DB_PASSWORD, "POSTGRES_DB", "facefarm"))
                .withExposedPorts(5432).waitingFor(Wait.forListeningPort()));
        GenericContainer<?> kafka = start(new GenericContainer<>(image("facefarm-test/kafka:latest")).withNetworkAliases("kafka")
                .withEnv("KAFKA_ADVERTISED_HOST", "kafka").withExposedPorts(9092).waitingFor(Wait.forListeningPort()));
        GenericContainer<?> s3 = start(new GenericContainer<>(image("facefarm-test/s3:latest")).withNetworkAliases("s3")
                .withEnv(Map.of("FARM_S3_ACCESS_KEY", S3_KEY, "FARM_S3_SECRET_KEY", S3_SECRET)).withExposedPorts(9000)
                .waitingFor(Wait.forListeningPort()));
        Map<String, String> shared = Map.of("FARM_KAFKA_BOOTSTRAP", "kafka:9092", "FARM_S3_ENDPOINT", "http://s3:9000",
                "FARM_S3_ACCESS_KEY", S3_KEY, "FARM_S3_SECRET_KEY", S3_SECRET);
        coordinator = start(new GenericContainer<>(image("facefarm/coordinator:test")).withNetworkAliases("coordinator").withEnv(shared)
                .withEnv(Map.of("FARM_DB_URL", "jdbc:postgresql://postgres:5432/facefarm", "FARM_DB_USER", "facefarm", "FARM_DB_PASSWORD", DB_PASSWORD,
                        "FARM_ACCESS_BOOTSTRAP_TOKEN_HASH", TokenSecrets.hash(TOKEN), "FARM_HEARTBEAT_TIMEOUT", "10s", "FARM_PROVENANCE_WATERMARK", "false",
                        // studios reach S3 at the port published on this host, not by its name on the farm's network
                        "FARM_S3_PUBLIC_ENDPOINT", "http://127.0.0.1:" + s3.getMappedPort(9000)))
                .withExposedPorts(8080).waitingFor(Wait.forHttp("/q/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3))));
        for (String flavour : List.of("worker", "worker-gpu")) {
            WORKERS.add(start(new GenericContainer<>(image("facefarm/" + flavour + ":test")).withNetworkAliases(flavour).withEnv(shared)
                    .withEnv(Map.of("FARM_WORKER_ID", flavour, "FARM_KAFKA_SESSION_TIMEOUT_MS", "10000"))
                    // the model cache: a read-only volume, as the Helm chart mounts it
                    .withFileSystemBind(models.toString(), "/models", BindMode.READ_ONLY)
                    .withExposedPorts(8081).waitingFor(Wait.forHttp("/health/ready").forPort(8081).forStatusCode(200)
                            .withStartupTimeout(Duration.ofMinutes(3)))));
        }
        assertTrue(kafka.isRunning() && postgres.isRunning());
        System.err.printf("container farm: images built and 7 containers up in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @AfterAll
    static void stopTheFarm() {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            STARTED.get(i).stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aJobRendersOnContainersAndSurvivesAKilledWorkerWithEveryFrameOnce() throws Exception {
        CoordinatorClient client = new CoordinatorClient("http://127.0.0.1:" + coordinator.getMappedPort(8080), TOKEN);
        List<Map<String, Object>> workers = awaitWorkers(client, 2);
        Map<String, Object> gpu = workers.stream().filter(w -> "worker-gpu".equals(w.get("id"))).findFirst().orElseThrow();
        assertEquals("cpu", gpu.get("executionProvider"), "no GPU here: the GPU image computes on the CPU: " + gpu);
        assertTrue(String.valueOf(gpu.get("acceleratorNote")).contains("cuda did not load"), "and says why: " + gpu);

        Path target = SharedFiles.media("face_2.mp4");
        long started = System.nanoTime();
        JobStatus job = client.submit(target, List.of(SharedFiles.media("astronaut.png")), new JobOptions(List.of("mesh_swapper"), 16, "mkv"));
        JobStatus running = client.follow(job.id(), s -> { }, s -> s.state() == JobState.RUNNING && s.framesDone() > 0);
        assertEquals(JobState.RUNNING, running.state(), running.error());
        GenericContainer<?> victim = WORKERS.get(0);
        // SIGKILL, as a crashed node: the coordinator's liveness, not a hand-back, brings its chunk back
        victim.getDockerClient().killContainerCmd(victim.getContainerId()).exec();
        JobStatus done = client.follow(job.id(), s -> { });
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertEquals(JobState.DONE, done.state(), done.error());
        List<ChunkStatus> chunks = client.chunks(job.id());
        int retries = chunks.stream().mapToInt(c -> c.attempts() - 1).sum();

        Path chunked = dir.resolve("containers.mkv");
        client.download(job.id(), chunked);
        VideoInfo output = VideoProbe.probe(chunked);
        assertEquals(125, output.frames(), "every frame once");
        assertTrue(output.hasAudio(), "with the target's audio");
        assertEquals(output.durationSeconds(), Videos.audioSeconds(chunked), 1.0 / output.fps(), "audio as long as the video");

        JobStatus whole = client.follow(client.submit(target, List.of(SharedFiles.media("astronaut.png")),
                new JobOptions(List.of("mesh_swapper"), 100000, "mkv")).id(), s -> { });
        assertEquals(JobState.DONE, whole.state(), whole.error());
        Path single = dir.resolve("single.mkv");
        client.download(whole.id(), single);
        List<byte[]> a = Videos.frames(chunked);
        List<byte[]> b = Videos.frames(single);
        assertEquals(125, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i), a.get(i), "frame " + i + " of the 8-chunk render with a killed worker is not the one-chunk render's");
        }
        System.err.printf("container farm: 125 frames, 8 chunks, %d s, worker container killed mid-job, %d retried attempt(s)%n", seconds, retries);
    }

    private static List<Map<String, Object>> awaitWorkers(CoordinatorClient client, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Map<String, Object>> workers = client.workers();
        while (workers.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(500);
            workers = client.workers();
        }
        assertEquals(count, workers.size(), "workers heard from: " + workers);
        return workers;
    }

    private static GenericContainer<?> start(GenericContainer<?> container) {
        // published on loopback only, on free ports
        container.withNetwork(network).withCreateContainerCmdModifier(cmd -> {
            List<PortBinding> bindings = new ArrayList<>();
            for (ExposedPort port : cmd.getExposedPorts()) {
                bindings.add(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port));
            }
            cmd.getHostConfig().withPortBindings(bindings);
        });
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(container.getDockerImageName() + " did not start: " + container.getLogs(), e);
        }
        STARTED.add(container);
        return container;
    }

    private static DockerImageName image(String name) {
        return DockerImageName.parse(name);
    }

    /** Runs one of the deploy scripts from the checkout's root, as an operator would; returns what it printed. */
    private static String script(String path, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(path).toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("facefarm-images", ".log");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(false)
                .redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        boolean finished = process.waitFor(IMAGE_BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        String errors = Files.readString(log);
        Files.delete(log);
        assertTrue(finished && process.exitValue() == 0, path + " failed:\n" + out + errors);
        return out;
    }
}
