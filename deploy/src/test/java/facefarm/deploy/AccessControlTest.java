package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.messaging.Messages;
import facefarm.common.uploads.UploadRequest;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.ChildProcess;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.LocalToken;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real stack: tokens and roles, tenants that cannot see each other, short-lived output URLs, protected
 * metrics, and services that refuse the embedded stack's credentials anywhere else.
 */
class AccessControlTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void tokensRolesTenantsAndExpiringOutputs() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_ACCESS_OUTPUT_URL_TTL", "3s"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            Path tokenFile = LocalToken.file(dir.resolve("home"));
            assertEquals(farm.token(), Files.readString(tokenFile).trim());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)), "the token file is its owner's only");

            // no token, a forged token: 401 naming what to send; health stays open; metrics need a token
            assertStatus(401, call(farm, "GET", "/api/v1/jobs", null, null), "Bearer");
            assertStatus(401, call(farm, "GET", "/api/v1/jobs", "ff_forged", null), "Bearer");
            assertEquals(401, call(farm, "GET", "/q/metrics", null, null).statusCode());
            assertEquals(200, call(farm, "GET", "/q/metrics", farm.token(), null).statusCode());
            assertEquals(200, call(farm, "GET", "/q/health/ready", null, null).statusCode());

            CoordinatorClient operator = farm.client();
            String acme = operator.createToken("acme-studio", "acme", "submitter").get("token").asText();
            String acmeViewer = operator.createToken("acme-dashboard", "acme", "viewer").get("token").asText();
            String globex = operator.createToken("globex-studio", "globex", "submitter").get("token").asText();
            JsonNode listed = operator.tokens();
            assertEquals(4, listed.size(), listed.toString());
            assertFalse(listed.toString().contains(acme), "a listing never shows a secret");
            assertEquals(409, assertThrows(CoordinatorClient.ApiException.class, () -> operator.createToken("acme-studio", "acme", "viewer")).status());

            // wrong role: 403
            assertStatus(403, call(farm, "POST", "/api/v1/jobs", acmeViewer, "{}"), "role");
            assertStatus(403, call(farm, "GET", "/api/v1/workers", acme, null), "role");
            assertStatus(403, call(farm, "POST", "/api/v1/tokens", acme, "{\"name\":\"x\",\"tenant\":\"acme\",\"role\":\"operator\"}"), "role");

            CoordinatorClient acmeClient = new CoordinatorClient(farm.apiUrl(), acme);
            JobStatus submitted = acmeClient.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 64, "mkv"));
            String job = submitted.id();
            try (ObjectStore store = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
                assertTrue(store.list("tenants/acme/jobs/" + job + "/").size() >= 1, "the job's inputs live under its tenant's prefix");
            }

            // another tenant's job does not exist for it; the viewer of the job's tenant reads it; the operator sees all
            CoordinatorClient globexClient = new CoordinatorClient(farm.apiUrl(), globex);
            assertEquals(404, assertThrows(CoordinatorClient.ApiException.class, () -> globexClient.job(job)).status());
            assertEquals(404, call(farm, "GET", "/api/v1/jobs/" + job + "/output/url", globex, null).statusCode());
            assertEquals(404, call(farm, "GET", "/api/v1/jobs/" + job + "/events", globex, null).statusCode());
            assertTrue(globexClient.jobs().isEmpty(), "another tenant's jobs are not listed");
            CoordinatorClient viewer = new CoordinatorClient(farm.apiUrl(), acmeViewer);
            assertEquals(List.of(job), viewer.jobs().stream().map(JobStatus::id).toList());
            assertEquals(List.of(job), operator.jobs().stream().map(JobStatus::id).toList());

            // a tenant may not refer a job to another tenant's upload
            String globexUpload = globexClient.startUpload(new UploadRequest("take.mp4", 1000)).key();
            assertTrue(globexUpload.startsWith("tenants/globex/uploads/"), globexUpload);
            CoordinatorClient.ApiException foreign = assertThrows(CoordinatorClient.ApiException.class, () -> acmeClient.submit(new JobSubmission(
                    new InputFile(globexUpload, null), List.of(), null, new JobOptions(List.of("face_debugger"), 64, "mkv"))));
            assertEquals(400, foreign.status(), foreign.getMessage());
            assertTrue(foreign.getMessage().contains("tenant acme's uploads"), foreign.getMessage());

            JobStatus done = acmeClient.follow(job, s -> { });
            assertEquals(JobState.DONE, done.state(), done.error());

            // the output URL is presigned and short-lived: it downloads now, and not after its 3 s
            HttpResponse<String> redirect = call(farm, "GET", "/api/v1/jobs/" + job + "/output", acme, null);
            assertEquals(303, redirect.statusCode());
            String url = redirect.headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> fresh = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, fresh.statusCode());
            assertEquals(done.sizes().output(), fresh.body().length);
            assertTrue(fresh.headers().firstValue("Content-Disposition").orElse("").contains("face_2-facefarm.mkv"), fresh.headers().toString());
            Thread.sleep(5_000);
            HttpResponse<byte[]> expired = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertNotEquals(200, expired.statusCode(), "an expired output URL no longer downloads");
            assertTrue(expired.statusCode() >= 400 && expired.statusCode() < 500, "expired: " + expired.statusCode());

            // a revoked token is refused from then on
            operator.revokeToken("acme-studio");
            assertEquals(401, assertThrows(CoordinatorClient.ApiException.class, () -> acmeClient.job(job)).status());
            assertEquals(job, viewer.job(job).id(), "other tokens of the tenant still work");
        }
    }

    @Test
    void oidcJwtsCarryTheirRolesAndTenantBesideTheFarmsTokens() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair provider = generator.generateKeyPair();
        java.security.KeyPair stranger = generator.generateKeyPair();
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 0).withEnv(Map.of("QUARKUS_OIDC_TENANT_ENABLED", "true",
                "QUARKUS_OIDC_PUBLIC_KEY", java.util.Base64.getEncoder().encodeToString(provider.getPublic().getEncoded())));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            String studio = jwt(provider, "studio-bob", "acme", "submitter", 300);
            HttpResponse<String> listed = call(farm, "GET", "/api/v1/jobs", studio, null);
            assertEquals(200, listed.statusCode(), listed.body());
            HttpResponse<String> upload = call(farm, "POST", "/api/v1/uploads", studio, "{\"name\": \"take.mov\", \"size\": 1000}");
            assertEquals(200, upload.statusCode(), upload.body());
            assertTrue(Messages.JSON.readTree(upload.body()).path("key").asText().startsWith("tenants/acme/uploads/"), upload.body());
            assertStatus(403, call(farm, "GET", "/api/v1/workers", studio, null), "role");
            assertStatus(403, call(farm, "POST", "/api/v1/jobs", jwt(provider, "dash", "acme", "viewer", 300), "{}"), "role");
            assertEquals(401, call(farm, "GET", "/api/v1/jobs", jwt(provider, "bob", null, "submitter", 300), null).statusCode(), "no tenant claim");
            assertEquals(401, call(farm, "GET", "/api/v1/jobs", jwt(stranger, "eve", "acme", "operator", 300), null).statusCode(), "another key");
            assertEquals(401, call(farm, "GET", "/api/v1/jobs", jwt(provider, "bob", "acme", "submitter", -60), null).statusCode(), "expired");
            assertEquals(200, call(farm, "GET", "/api/v1/workers", farm.token(), null).statusCode(), "the farm's own tokens work beside OIDC");
        }
    }

    /** A signed RS256 JWT as an OIDC provider would issue it, with the farm's role and tenant claims. */
    private static String jwt(java.security.KeyPair key, String subject, String tenant, String role, long lifetimeSeconds) throws Exception {
        long now = java.time.Instant.now().getEpochSecond();
        Map<String, Object> claims = new java.util.LinkedHashMap<>(Map.of("sub", subject, "upn", subject, "iat", now,
                "exp", now + lifetimeSeconds, "facefarm_roles", List.of(role)));
        if (tenant != null) {
            claims.put("facefarm_tenant", tenant);
        }
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(Messages.JSON.writeValueAsBytes(claims));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(signed.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(rsa.sign());
    }

    @Test
    void servicesRefuseBuiltInCredentialsOutsideTheEmbeddedStack() throws Exception {
        FarmLayout layout = FarmLayout.detect();
        // nothing needs to be reachable: the refusal comes before any connection
        Map<String, String> env = Map.of("FARM_HOME", dir.toString(), "FARM_KAFKA_BOOTSTRAP", "127.0.0.1:9", "FARM_S3_ENDPOINT", "http://127.0.0.1:9");
        try (ChildProcess worker = ChildProcess.startJava("worker", List.of("-Xmx256m"), List.of("-cp", layout.workerClassPath(), "facefarm.worker.WorkerMain"),
                env, dir.resolve("worker.log"))) {
            assertTrue(waitForExit(worker), "the worker exits");
            assertTrue(worker.logTail(5).contains("refuses to start with the built-in credentials"), worker.logTail(20));
            assertTrue(worker.logTail(5).contains("FARM_S3_SECRET_KEY"), worker.logTail(20));
        }
    }

    @Test
    void theCoordinatorRefusesBuiltInCredentialsOutsideTheEmbeddedStack() throws Exception {
        // a farm for its database, so the refusal is ours and not a connection error
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), LocalFarm.Settings.defaults(dir.resolve("home"), 0), line -> { })) {
            Map<String, String> env = Map.of("FARM_HTTP_HOST", "127.0.0.1", "FARM_HTTP_PORT", "0", "FARM_DB_URL", farm.jdbcUrl(), "FARM_DB_USER", "postgres",
                    "FARM_DB_PASSWORD", "postgres", "FARM_KAFKA_BOOTSTRAP", farm.kafkaBootstrap(), "FARM_S3_ENDPOINT", farm.s3Endpoint());
            try (ChildProcess coordinator = ChildProcess.startJava("coordinator", List.of("-Xmx256m"),
                    List.of("-jar", FarmLayout.detect().coordinatorJar().toString()), env, dir.resolve("coordinator.log"))) {
                assertTrue(waitForExit(coordinator), "the coordinator exits");
                String log = Files.readString(coordinator.log());
                assertTrue(log.contains("refuses to start with the built-in credentials") && log.contains("FARM_DB_PASSWORD")
                        && log.contains("FARM_S3_SECRET_KEY"), log);
            }
        }
    }

    private static boolean waitForExit(ChildProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return !process.isAlive();
    }

    private static void assertStatus(int status, HttpResponse<String> response, String inMessage) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String error = Messages.JSON.readTree(response.body()).path("error").asText();
        assertTrue(error.contains(inMessage), response.body());
    }

    private static HttpResponse<String> call(LocalFarm farm, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(farm.apiUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
