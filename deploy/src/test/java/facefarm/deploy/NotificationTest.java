package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.messaging.Messages;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks on the real embedded stack: a receiver on loopback gets a signed DONE call, retried after it answered 500;
 * a job's own webhook gets its CANCELLED call; a job's webhook on a host the operator did not allow is refused.
 */
class NotificationTest {
    private static final String SECRET = "webhook-secret-for-the-test";

    @TempDir
    Path dir;

    record Call(byte[] body, String signature, String event) {
    }

    /** The receiver's own check: HMAC-SHA256 of the raw body under the shared secret, in hex. */
    private static String hmac(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aFinishedJobIsPostedSignedAndRetriedAfterA500() throws Exception {
        List<Call> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/hook", exchange -> {
            calls.add(new Call(exchange.getRequestBody().readAllBytes(), exchange.getRequestHeaders().getFirst("X-Facefarm-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Facefarm-Event")));
            // the first call finds the receiver failing
            exchange.sendResponseHeaders(calls.size() == 1 ? 500 : 204, -1);
            exchange.close();
        });
        List<Call> jobCalls = new CopyOnWriteArrayList<>();
        receiver.createContext("/job-hook", exchange -> {
            jobCalls.add(new Call(exchange.getRequestBody().readAllBytes(), exchange.getRequestHeaders().getFirst("X-Facefarm-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Facefarm-Event")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1)
                    .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(),
                            "FARM_NOTIFICATIONS_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                            "FARM_NOTIFICATIONS_SECRET", SECRET, "FARM_NOTIFICATIONS_RETRY_BACKOFF", "1s",
                            "FARM_NOTIFICATIONS_ALLOWED_HOSTS", "127.0.0.1"));
            try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
                CoordinatorClient client = farm.client();
                JobStatus job = client.follow(client.submit(SharedFiles.media("face_2.mp4"), List.of(),
                        new JobOptions(List.of("face_debugger"), 200, "mkv")).id(), s -> { });
                assertEquals(JobState.DONE, job.state(), job.error());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (calls.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, calls.size(), "one call answered 500, then its retry");
                for (Call call : calls) {
                    assertEquals("DONE", call.event());
                    assertEquals("sha256=" + hmac(SECRET, call.body()), call.signature(), "signed with the farm's secret");
                    JsonNode body = Messages.JSON.readTree(call.body());
                    assertEquals("DONE", body.path("event").asText());
                    assertEquals(job.id(), body.path("job").path("id").asText());
                    assertEquals("DONE", body.path("job").path("state").asText());
                    assertEquals(125, body.path("job").path("framesTotal").asLong());
                }
                assertArrayEquals(calls.get(0).body(), calls.get(1).body(), "the retry carries the same body");
                assertTrue(!"sha256=".concat(hmac("another-secret", calls.get(0).body())).equals(calls.get(0).signature()));

                Thread.sleep(2_500);
                assertEquals(2, calls.size(), "a delivered notification is not sent again");
                List<Map<String, Object>> deliveries = Messages.JSON.convertValue(
                        Messages.JSON.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(farm.apiUrl() + "/api/v1/jobs/" + job.id() + "/notifications"))
                                .header("Authorization", "Bearer " + farm.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()),
                        new com.fasterxml.jackson.core.type.TypeReference<>() { });
                assertEquals(1, deliveries.size());
                assertEquals(2, deliveries.get(0).get("attempts"), "the delivery attempts are visible: " + deliveries);
                assertEquals(204, deliveries.get(0).get("lastStatus"));
                assertNotNull(deliveries.get(0).get("deliveredAt"));

                // a job's own webhook, on an allowed host, gets its end too; one on another host is refused at once
                String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/job-hook";
                JobStatus own = client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 200, "mkv").withWebhook(hook));
                client.cancel(own.id());
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (jobCalls.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(1, jobCalls.size(), "the job's own webhook was called");
                assertEquals("CANCELLED", jobCalls.get(0).event());
                assertEquals("sha256=" + hmac(SECRET, jobCalls.get(0).body()), jobCalls.get(0).signature());
                assertEquals(own.id(), Messages.JSON.readTree(jobCalls.get(0).body()).path("job").path("id").asText());
                CoordinatorClient.ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(CoordinatorClient.ApiException.class,
                        () -> client.submit(SharedFiles.media("face_2.mp4"), List.of(), new JobOptions(List.of("face_debugger"), 200, "mkv")
                                .withWebhook("http://169.254.169.254/latest/meta-data")));
                assertEquals(400, refused.status());
                assertTrue(refused.getMessage().contains("webhookUrl names host '169.254.169.254', which this farm does not post to"), refused.getMessage());
            }
        } finally {
            receiver.stop(0);
        }
    }
}
