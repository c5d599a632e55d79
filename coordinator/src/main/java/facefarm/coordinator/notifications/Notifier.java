package facefarm.coordinator.notifications;

import facefarm.common.jobs.RetryPolicy;
import facefarm.common.messaging.Messages;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.jobs.JobViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Delivers the queued webhook calls (a job's end): POSTs {"event", "job"} as JSON, signed with HMAC-SHA256 under
 * farm.notifications.secret; a call that fails (no answer, or not 2xx) is tried again after a doubling backoff until
 * farm.notifications.max-attempts. Runs on the coordinator holding the duty lock, so one call goes out per try.
 */
@ApplicationScoped
public class Notifier {
    private static final Logger LOG = Logger.getLogger(Notifier.class);
    public static final String SIGNATURE_HEADER = "X-Facefarm-Signature";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final int BATCH = 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    FarmConfig config;

    @Inject
    JobStore store;

    @Inject
    JobViews views;

    public void deliverDue() {
        FarmConfig.Notifications settings = config.notifications();
        for (JobStore.Notification due : store.dueNotifications(settings.maxAttempts(), BATCH)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", due.event());
            body.put("job", views.status(due.jobId()).orElse(null));
            byte[] json;
            try {
                json = Messages.JSON.writeValueAsBytes(body);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the notification of job " + due.jobId(), e);
            }
            Integer status = null;
            String error = null;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(due.url())).timeout(CALL_TIMEOUT)
                        .header("Content-Type", "application/json").header("X-Facefarm-Event", due.event())
                        .header("X-Facefarm-Delivery", Long.toString(due.id())).POST(HttpRequest.BodyPublishers.ofByteArray(json));
                settings.secret().ifPresent(secret -> request.header(SIGNATURE_HEADER, "sha256=" + sign(secret, json)));
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException | IllegalArgumentException e) {
                error = e.getMessage() != null ? e.getMessage() : e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean delivered = status != null && status / 100 == 2;
            if (!delivered && error == null) {
                error = "the receiver answered " + status;
            }
            Duration retryIn = RetryPolicy.backoff(due.attempts() + 2, settings.retryBackoff(), MAX_BACKOFF);
            store.notificationTried(due.id(), status, error, delivered, retryIn);
            if (!delivered) {
                LOG.warnf("notification %s of job=%s to %s failed (attempt %d of %d): %s", due.event(), due.jobId(), due.url(), due.attempts() + 1,
                        settings.maxAttempts(), error);
            }
        }
    }

    /** Lower-case hex HMAC-SHA256 of the body under the secret, as the receiver computes it to check the call. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
