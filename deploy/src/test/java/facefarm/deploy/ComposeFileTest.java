package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/compose.yaml validated and resolved by Docker Compose itself (`docker compose config`, or v1's `docker-compose`). */
class ComposeFileTest {
    private static final Path ROOT = Path.of(System.getProperty("farm.root", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("deploy/compose.yaml");
    private static final Map<String, String> SECRETS = Map.of("FARM_S3_ACCESS_KEY", "studio", "FARM_S3_SECRET_KEY", "s3-secret-value",
            "FARM_DB_PASSWORD", "db-secret", "FARM_ACCESS_BOOTSTRAP_TOKEN_HASH", "0".repeat(64));

    @Test
    void theComposeFileRunsTheWholeFarmWithAGpuProfile() throws Exception {
        Result config = compose(SECRETS, "--profile", "gpu", "config");
        assertEquals(0, config.exit(), config.err());
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(config.out()).path("services");
        for (String service : List.of("kafka", "postgres", "minio", "models", "coordinator", "worker", "worker-gpu")) {
            assertTrue(services.has(service), "service " + service + " in " + services.fieldNames());
        }
        assertEquals("minio/minio:latest", services.path("minio").path("image").asText(), "the real MinIO server");
        assertEquals("http://minio:9000", services.path("worker").path("environment").path("FARM_S3_ENDPOINT").asText());
        assertEquals("2", services.path("worker").path("deploy").path("replicas").asText());
        assertEquals("service_completed_successfully", services.path("worker").path("depends_on").path("models").path("condition").asText(),
                "workers start once the model cache is filled");
        JsonNode gpu = services.path("worker-gpu");
        assertEquals("nvidia", gpu.path("deploy").path("resources").path("reservations").path("devices").path(0).path("driver").asText());
        assertEquals("gpu", gpu.path("profiles").path(0).asText(), "the GPU worker runs only with --profile gpu");
        assertEquals("tensorrt,cuda,cpu", gpu.path("environment").path("FARM_EXECUTION_PROVIDERS").asText());
        assertEquals("kafka:9092", gpu.path("environment").path("FARM_KAFKA_BOOTSTRAP").asText(), "the GPU worker shares the workers' settings");
        assertTrue(services.path("worker").path("volumes").toString().contains("/etc/facefarm/c2pa"), "the signing key's folder is mounted: "
                + services.path("worker").path("volumes"));
        assertTrue(services.path("worker").path("volumes").toString().contains(ROOT.resolve("deploy/c2pa").toString()), "from deploy/c2pa by default");
        assertEquals("", services.path("worker").path("environment").path("FARM_C2PA_KEY").asText(), "unset: a local key");
        Map<String, String> signing = new HashMap<>(SECRETS);
        signing.put("FARM_C2PA_KEY", "/etc/facefarm/c2pa/signing.key");
        signing.put("FARM_C2PA_CHAIN", "/etc/facefarm/c2pa/signing-chain.pem");
        Result signed = compose(signing, "--profile", "gpu", "config");
        assertEquals(0, signed.exit(), signed.err());
        JsonNode signedServices = new ObjectMapper(new YAMLFactory()).readTree(signed.out()).path("services");
        for (String worker : List.of("worker", "worker-gpu")) {
            assertEquals("/etc/facefarm/c2pa/signing.key", signedServices.path(worker).path("environment").path("FARM_C2PA_KEY").asText(), worker);
            assertEquals("/etc/facefarm/c2pa/signing-chain.pem", signedServices.path(worker).path("environment").path("FARM_C2PA_CHAIN").asText(), worker);
        }
        assertEquals(SECRETS.get("FARM_ACCESS_BOOTSTRAP_TOKEN_HASH"),
                services.path("coordinator").path("environment").path("FARM_ACCESS_BOOTSTRAP_TOKEN_HASH").asText());
    }

    @Test
    void withoutItsSecretsComposeRefusesAndNamesTheMissingOne() throws Exception {
        Map<String, String> partial = new HashMap<>(SECRETS);
        partial.remove("FARM_DB_PASSWORD");
        Result config = compose(partial, "config");
        assertNotEquals(0, config.exit(), "no built-in password");
        assertTrue(config.err().contains("FARM_DB_PASSWORD"), config.err());
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result compose(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = composeCommand();
        command.addAll(List.of("-f", COMPOSE.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String name : SECRETS.keySet()) {
            builder.environment().remove(name);
        }
        builder.environment().remove("FARM_C2PA_KEY");
        builder.environment().remove("FARM_C2PA_CHAIN");
        builder.environment().putAll(env);
        Path err = Files.createTempFile("compose", ".err");
        Process process = builder.redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker compose config did not finish");
        String errors = Files.readString(err);
        Files.delete(err);
        return new Result(process.exitValue(), out, errors);
    }

    /** Compose v2 (the docker CLI plugin) where it is installed, else v1 (Debian's docker-compose); skipped without either. */
    private static List<String> composeCommand() throws InterruptedException {
        if (runs("docker", "compose", "version")) {
            return new ArrayList<>(List.of("docker", "compose"));
        }
        assumeTrue(runs("docker-compose", "version"), "skipped: neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)");
        return new ArrayList<>(List.of("docker-compose"));
    }

    private static boolean runs(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
