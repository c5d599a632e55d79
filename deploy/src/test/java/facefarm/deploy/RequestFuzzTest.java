package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded malformed requests against the real coordinator on loopback (seeded, so a failure can be replayed): wrong
 * methods, content types and accept headers, broken framing, JSON of every wrong shape, hostile names and ids, and
 * parts too large. None may get a 500, and refusals may not fill the log.
 */
class RequestFuzzTest {
    private static final long SEED = 20261130L;
    private static final int REQUESTS = 10_000;
    private static final String[] PATHS = {"/api/v1/jobs", "/api/v1/jobs/%s", "/api/v1/jobs/%s/chunks", "/api/v1/jobs/%s/tasks",
            "/api/v1/jobs/%s/output", "/api/v1/jobs/%s/output/url", "/api/v1/jobs/%s/events", "/api/v1/uploads", "/api/v1/uploads/%s",
            "/api/v1/uploads/%s/complete", "/api/v1/workers", "/q/health", "/api/v1/%s", "/%s"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final String[] CONTENT_TYPES = {"application/json", "multipart/form-data; boundary=XyZ", "multipart/form-data", "text/plain",
            "application/xml", "application/octet-stream", "application/json; charset=latin1", "garbage/\u00e9", ""};
    private static final String[] ACCEPTS = {"application/json", "*/*", "text/event-stream", "application/xml", "image/png", "text/html;q=0.1"};
    private static final String[] HOSTILE = {"..", "../../etc/passwd", "/abs", "a\u0000b", "\u0007bell", "\u202eevil.mp4", "x".repeat(300),
            "name with spaces.mp4", "caf\u00e9.mp4", "%00", "%2e%2e%2f", "\ud83d\ude00.mp4", "CON", "a/b\\c", "", " "};
    @TempDir
    Path dir;

    @Test
    void tenThousandMalformedRequestsGetNo500AndLittleLog() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 0);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            Random random = new Random(SEED);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create(farm.apiUrl());
            Path log = dir.resolve("home/logs/coordinator.log");
            long linesBefore = Files.readAllLines(log).size();
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                // most requests carry the operator's token, so they reach the checks behind authentication
                String token = random.nextInt(10) == 0 ? pick(random, new String[] {"", "ff_forged", "\u00e9", "x".repeat(600)}) : farm.token();
                Attempt attempt = random.nextInt(20) == 0 ? rawRequest(random, base, token) : request(random, http, base, token);
                statuses.merge(attempt.status(), 1, Integer::sum);
                if (attempt.status() >= 500 && failures.size() < 10) {
                    failures.add("#" + i + " " + attempt.description() + " -> " + attempt.status() + " " + attempt.body());
                }
            }
            assertTrue(failures.isEmpty(), "5xx answers (statuses " + statuses + "):\n" + String.join("\n", failures));
            List<String> lines = Files.readAllLines(log);
            long added = lines.size() - linesBefore;
            assertTrue(added <= REQUESTS / 10, "the coordinator's log grew by " + added + " lines; last: " + lines.subList(Math.max(0, lines.size() - 5),
                    lines.size()));
            assertTrue(lines.stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), "no stack trace for a refusal");
            assertTrue(statuses.keySet().stream().anyMatch(s -> s == 400) && statuses.containsKey(404) && statuses.containsKey(405),
                    "the fuzz reached the checks: " + statuses);
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "still healthy");
        }
    }

    private record Attempt(String description, int status, String body) {
    }

    private static Attempt request(Random random, HttpClient http, URI base, String token) throws InterruptedException {
        String method = pick(random, METHODS);
        String path = String.format(pick(random, PATHS), id(random));
        String query = random.nextInt(4) == 0 ? "?key=" + urlEncode(pick(random, HOSTILE)) : "";
        URI uri;
        try {
            uri = base.resolve(path + query);
        } catch (IllegalArgumentException e) {
            uri = base.resolve("/api/v1/jobs");
        }
        String contentType = pick(random, CONTENT_TYPES);
        byte[] body = body(random, contentType);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        builder.header("Accept", pick(random, ACCEPTS));
        try {
            builder.header("Authorization", "Bearer " + token);
        } catch (IllegalArgumentException e) {
            // a token the client library will not send (non-ASCII): sent without one
        }
        if (!contentType.isEmpty()) {
            try {
                builder.header("Content-Type", contentType);
            } catch (IllegalArgumentException e) {
                // a header value the client library will not send (non-ASCII): the raw requests cover those
            }
        }
        String description = method + " " + uri + " [" + contentType + ", " + body.length + " bytes: "
                + new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1) + "]";
        try {
            HttpResponse<java.io.InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = response.body()) {
                // a path that normalises to a live stream (/api/v1/jobs/../events) answers a stream that never ends
                if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                    return new Attempt(description, response.statusCode(), "(a Server-Sent Events stream)");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Attempt(description, response.statusCode(), text.length() > 300 ? text.substring(0, 300) : text);
            }
        } catch (IOException e) {
            // the server may close a connection on framing it refuses; that is not a 500
            return new Attempt(description, 0, e.toString());
        }
    }

    /** Broken HTTP framing the client library would never send. */
    private static Attempt rawRequest(Random random, URI base, String token) {
        String[] heads = {
            "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"processors\":",
            "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\nnot hex\r\n0\r\n\r\n",
            "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 40\r\n\r\n--b\r\nContent-Disposition: form-da",
            "GET /api/v1/jobs/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GARBAGE\r\n\r\n",
            "GET /api/v1/jobs HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
            "POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}",
            "GET /" + "a/".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n"};
        String head = pick(random, heads).replace("Host: x\r\n", "Host: x\r\nAuthorization: Bearer " + token + "\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(512), StandardCharsets.ISO_8859_1);
            int status = reply.startsWith("HTTP/1.") && reply.length() >= 12 ? Integer.parseInt(reply.substring(9, 12)) : 0;
            return new Attempt("raw " + head.substring(0, Math.min(80, head.length())), status, reply.length() > 200 ? reply.substring(0, 200) : reply);
        } catch (IOException | NumberFormatException e) {
            return new Attempt("raw " + head.substring(0, Math.min(80, head.length())), 0, e.toString());
        }
    }

    private static byte[] body(Random random, String contentType) {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random, random.nextInt(4096));
            case 2 -> json(random).getBytes(StandardCharsets.UTF_8);
            case 3 -> multipart(random).getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"name\":" + quote(pick(random, HOSTILE)) + ",\"size\":" + pick(random, new String[] {"-1", "0", "1", "1e30", "\"big\"",
                    "9223372036854775807", "null", "5497558138880"}) + "}").getBytes(StandardCharsets.UTF_8);
            default -> contentType.startsWith("multipart") ? multipart(random).getBytes(StandardCharsets.UTF_8) : json(random).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A job submission by key with one field bent out of shape. */
    private static String json(Random random) {
        String[] values = {"null", "[]", "[null]", "[\"face_debugger\", null]", "\"x\"", "-1", "0", "1e-9", "1e309", "NaN", "true", "{}", "[[[]]]",
                "\"" + "z".repeat(1000) + "\"", "2147483648", "-9223372036854775809", quote(pick(random, HOSTILE)), "{\"key\":" + quote(pick(random, HOSTILE)) + "}"};
        String[] fields = {"processors", "chunkFrames", "outputFormat", "fps", "videoBitrate", "audioFit", "analysis", "processorOptions"};
        String target = random.nextBoolean() ? "{\"key\":" + quote(pick(random, HOSTILE)) + ",\"name\":" + quote(pick(random, HOSTILE)) + "}" : pick(random, values);
        String options = "{\"" + pick(random, fields) + "\":" + pick(random, values) + ",\"analysis\":{\"faceDetectorSize\":" + pick(random, values) + "}}";
        String[] shapes = {"{\"inputs\":{\"target\":" + target + ",\"sources\":" + pick(random, values) + "},\"options\":" + options + "}",
            "{\"inputs\":" + pick(random, values) + "}", "[" + options + "]", options, "{\"inputs\":{\"target\":" + target + "}", "\"\\u0000\""};
        return pick(random, shapes);
    }

    private static String multipart(Random random) {
        StringBuilder body = new StringBuilder();
        int parts = random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            String name = pick(random, new String[] {"target", "source", "audio", "options", pick(random, HOSTILE)});
            body.append("--XyZ\r\nContent-Disposition: form-data; name=\"").append(name).append("\"; filename=\"").append(pick(random, HOSTILE))
                    .append("\"\r\nContent-Type: ").append(pick(random, CONTENT_TYPES)).append("\r\n\r\n");
            body.append(name.equals("options") ? json(random) : new String(randomBytes(random, random.nextInt(2048)), StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        if (random.nextBoolean()) {
            body.append("--XyZ--\r\n");
        }
        return body.toString();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String id(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> UUID.randomUUID().toString();
            case 1 -> urlEncode(pick(random, HOSTILE));
            case 2 -> "00000000-0000-0000-0000-00000000000" + random.nextInt(10);
            default -> Long.toString(random.nextLong());
        };
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
