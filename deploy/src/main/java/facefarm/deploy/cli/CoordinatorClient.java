package facefarm.deploy.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.jobs.TaskStatus;
import facefarm.common.messaging.Messages;
import facefarm.common.uploads.UploadPlan;
import facefarm.common.uploads.UploadRequest;
import facefarm.common.uploads.UploadState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** The coordinator's REST API as the CLI uses it. */
public final class CoordinatorClient {
    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param token the bearer token every API call sends (never sent to S3's presigned URLs) */
    public CoordinatorClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The API request builder: the coordinator's URL and the token. */
    private HttpRequest.Builder api(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** A refusal by the coordinator, with its message. */
    public static final class ApiException extends RuntimeException {
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public JobStatus submit(Path target, List<Path> sources, JobOptions options) {
        return submit(target, sources, null, options);
    }

    /** @param audio new audio for the output (dubbing, talking heads), or null */
    public JobStatus submit(Path target, List<Path> sources, Path audio, JobOptions options) {
        return submit(target, sources, List.of(), audio, options);
    }

    /** @param consents each source's consent reference, in order (or none) */
    public JobStatus submit(Path target, List<Path> sources, List<String> consents, Path audio, JobOptions options) {
        String boundary = "facefarm-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        try {
            parts.add(text(boundary, "options", Messages.JSON.writeValueAsString(options)));
            parts.add(file(boundary, "target", target));
            for (Path source : sources) {
                parts.add(file(boundary, "source", source));
            }
            for (String consent : consents) {
                parts.add(text(boundary, "consent", consent));
            }
            if (audio != null) {
                parts.add(file(boundary, "audio", audio));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the inputs: " + e.getMessage(), e);
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        HttpRequest request = api("/api/v1/jobs")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)))
                .build();
        return Messages.JSON.convertValue(send(request), JobStatus.class);
    }

    /** A job on inputs already in the farm's bucket (presigned uploads), by key. */
    public JobStatus submit(JobSubmission submission) {
        return Messages.JSON.convertValue(send(post("/api/v1/jobs", json(submission))), JobStatus.class);
    }

    public UploadPlan startUpload(UploadRequest request) {
        return Messages.JSON.convertValue(send(post("/api/v1/uploads", json(request))), UploadPlan.class);
    }

    public UploadState uploadState(String uploadId, String key) {
        return Messages.JSON.convertValue(send(get("/api/v1/uploads/" + uploadId + "?key=" + encode(key))), UploadState.class);
    }

    public void completeUpload(String uploadId, String key) {
        send(api("/api/v1/uploads/" + uploadId + "/complete?key=" + encode(key))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String json(Object value) {
        try {
            return Messages.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private HttpRequest post(String path, String json) {
        return api(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What the farm knows of a watermark's payload. */
    public facefarm.common.provenance.WatermarkOrigin watermarkOrigin(String payloadHex) {
        return Messages.JSON.convertValue(send(get("/api/v1/provenance/watermarks/" + payloadHex)), facefarm.common.provenance.WatermarkOrigin.class);
    }

    /** Asks a worker to read a stored file's provenance (its upload key; the sidecar's, or null); see {@link #provenanceCheck}. */
    public facefarm.common.provenance.ProvenanceCheckStatus startProvenanceCheck(String key, String sidecarKey, int frames) {
        facefarm.common.provenance.ProvenanceCheckRequest request = new facefarm.common.provenance.ProvenanceCheckRequest(key, sidecarKey, frames);
        return Messages.JSON.convertValue(send(post("/api/v1/provenance/checks", json(request))), facefarm.common.provenance.ProvenanceCheckStatus.class);
    }

    public facefarm.common.provenance.ProvenanceCheckStatus provenanceCheck(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/provenance/checks/" + id)), facefarm.common.provenance.ProvenanceCheckStatus.class);
    }

    public JobStatus job(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id)), JobStatus.class);
    }

    /** Cancels the job; an {@link ApiException} of 409 when it has already ended. */
    public JobStatus cancel(String id) {
        return control(id, "cancel");
    }

    /** A job control action ({@code cancel}, {@code pause}, {@code resume}); 409 when the job's state does not allow it. */
    public JobStatus control(String id, String action) {
        return Messages.JSON.convertValue(send(post("/api/v1/jobs/" + id + "/" + action, "{}")), JobStatus.class);
    }

    /** Retries a FAILED or CANCELLED job (its missing chunks render again). */
    public JobStatus retry(String id) {
        return control(id, "retry");
    }

    /** Renders one chunk of a running or paused job again. */
    public JobStatus retryChunk(String id, int index) {
        return control(id, "chunks/" + index + "/retry");
    }

    public JobStatus priority(String id, int priority) {
        return Messages.JSON.convertValue(send(api("/api/v1/jobs/" + id + "/priority").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"priority\": " + priority + "}")).build()), JobStatus.class);
    }

    /** Drains a worker or releases it ({@code action} "drain" or "release"); answers the worker's row. */
    public Map<String, Object> worker(String workerId, String action) {
        return Messages.JSON.convertValue(send(post("/api/v1/workers/" + java.net.URLEncoder.encode(workerId, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "/" + action, "{}")), new TypeReference<>() { });
    }

    /** Every attempt at every chunk of the job. */
    public List<facefarm.common.jobs.AttemptStatus> attempts(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id + "/attempts")), new TypeReference<>() { });
    }

    public List<facefarm.common.jobs.AttemptStatus> attempts(String id, int chunkIndex) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id + "/chunks/" + chunkIndex + "/attempts")), new TypeReference<>() { });
    }

    /** One attempt's own log lines. */
    public String attemptLog(String id, int chunkIndex, int attemptNumber) {
        return text(get("/api/v1/jobs/" + id + "/chunks/" + chunkIndex + "/attempts/" + attemptNumber + "/log"));
    }

    public List<facefarm.common.jobs.JobAction> history(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id + "/history")), new TypeReference<>() { });
    }

    public List<ChunkStatus> chunks(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id + "/chunks")), new TypeReference<>() { });
    }

    public List<TaskStatus> tasks(String id) {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs/" + id + "/tasks")), new TypeReference<>() { });
    }

    public List<JobStatus> jobs() {
        return Messages.JSON.convertValue(send(get("/api/v1/jobs")), new TypeReference<>() { });
    }

    public List<Map<String, Object>> workers() {
        return Messages.JSON.convertValue(send(get("/api/v1/workers")), new TypeReference<>() { });
    }

    /** Follows the job's Server-Sent Events until it ends; falls back to polling if the stream drops. */
    public JobStatus follow(String id, Consumer<JobStatus> onUpdate) {
        return follow(id, onUpdate, s -> false);
    }

    /** Follows the job until it ends or {@code until} holds. */
    public JobStatus follow(String id, Consumer<JobStatus> onUpdate, java.util.function.Predicate<JobStatus> until) {
        JobStatus last = null;
        try {
            HttpResponse<InputStream> response = http.send(get("/api/v1/jobs/" + id + "/events"), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        last = Messages.JSON.readValue(line.substring(5).trim(), JobStatus.class);
                        onUpdate.accept(last);
                        if (last.state().isTerminal() || until.test(last)) {
                            return last;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // fall through to polling
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        while (last == null || !(last.state().isTerminal() || until.test(last))) {
            last = job(id);
            onUpdate.accept(last);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return last;
    }

    /**
     * Downloads the finished video straight from S3 through a short-lived presigned URL (without the token), and its
     * C2PA sidecar beside it when its format keeps Content Credentials in one (the same name with .c2pa); returns the
     * sidecar's path, or null.
     */
    public Path download(String id, Path output) {
        JsonNode urls = send(get("/api/v1/jobs/" + id + "/output/url"));
        fetch(HttpRequest.newBuilder(URI.create(urls.path("url").asText())).GET().build(), output);
        if (!urls.hasNonNull("credentialsUrl")) {
            return null;
        }
        Path sidecar = output.resolveSibling(facefarm.common.provenance.ProvenanceCheckRequest.sidecarName(output.getFileName().toString()));
        fetch(HttpRequest.newBuilder(URI.create(urls.path("credentialsUrl").asText())).GET().build(), sidecar);
        return sidecar;
    }

    private void fetch(HttpRequest request, Path output) {
        try {
            Path partial = output.resolveSibling(output.getFileName() + ".part");
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                String body = Files.readString(partial);
                Files.deleteIfExists(partial);
                throw new ApiException(response.statusCode(), errorOf(body));
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + output + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest get(String path) {
        return api(path).GET().build();
    }

    /** Makes a token (operators only); the answer holds its secret. */
    public JsonNode createToken(String name, String tenant, String role) {
        return send(post("/api/v1/tokens", json(Map.of("name", name, "tenant", tenant, "role", role))));
    }

    public JsonNode tokens() {
        return send(get("/api/v1/tokens"));
    }

    public void revokeToken(String name) {
        send(api("/api/v1/tokens/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")).DELETE().build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            return Messages.JSON.readTree(text(request));
        } catch (IOException e) {
            throw new IllegalStateException("the coordinator at " + baseUrl + " answered what is not JSON: " + e.getMessage(), e);
        }
    }

    /** The body of a successful answer; an error answer throws {@link ApiException} with its message. */
    private String text(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new ApiException(response.statusCode(), errorOf(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the coordinator at " + baseUrl + ": " + (e.getMessage() != null ? e.getMessage() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode node = Messages.JSON.readTree(body);
            return node.has("error") ? node.get("error").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    private static HttpRequest.BodyPublisher text(String boundary, String name, String value) {
        return HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n");
    }

    private static HttpRequest.BodyPublisher file(String boundary, String name, Path file) throws IOException {
        String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + file.getFileName().toString().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        return HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(header), HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString("\r\n"));
    }
}
