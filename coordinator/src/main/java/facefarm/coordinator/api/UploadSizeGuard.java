package facefarm.coordinator.api;

import facefarm.coordinator.config.FarmConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses a single-request upload above farm.max-upload-size before its body is read, with a 413 that says how to
 * upload large files instead (presigned multipart uploads straight to S3).
 */
@ApplicationScoped
public class UploadSizeGuard {
    @Inject
    FarmConfig config;

    void install(@Observes Router router) {
        long limit = config.maxUploadSize().asLongValue();
        router.route(HttpMethod.POST, "/api/v1/jobs").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long bytes;
            try {
                bytes = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes > limit) {
                String message = "the request is " + bytes + " bytes, more than the " + limit + " bytes (farm.max-upload-size) one request may "
                        + "carry: upload large files in parts with POST /api/v1/uploads (./farm render does this), then submit the job by key";
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .end(io.vertx.core.json.Json.encode(java.util.Map.of("error", message)));
                return;
            }
            ctx.next();
        });
    }
}
