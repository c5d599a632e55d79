package facefarm.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.coordinator.jobs.JobService;
import facefarm.storage.StorageException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors as {"error": "..."} with a status that says whose problem it is. A client's mistake is a 4xx that names
 * it and is not logged; only the server's own failures are 500s, logged once with a reference the answer quotes, and
 * never with server paths, SQL or exception text in the answer.
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response badInput(BadInputException e) {
        return json(e.status(), e.getMessage());
    }

    /** An action the job's state does not allow now (cancelling an ended job): 409, saying why. */
    @ServerExceptionMapper
    public Response notNow(JobService.NotNow e) {
        return json(409, e.getMessage());
    }

    /** The framework's own refusals (404, 405, 406, 413, 415, a bad multipart body, a path id that is no UUID) keep their status. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        return json(status, ClientErrors.describe(status));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        LOG.debugf(e, "refused a request: %s", e.getMessage());
        return json(401, "this API needs a valid token: send 'Authorization: Bearer <token>' (./farm token prints the local operator's; "
                + "an operator makes others with ./farm token create)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(403, "this token's role may not do this: submitters submit and read their own jobs, viewers read their tenant's, "
                + "operators do everything; ask an operator for a token with the role it needs");
    }

    /** S3 is down or refuses the farm: nothing the client did wrong, and nothing to log a stack trace for. */
    @ServerExceptionMapper
    public Response storageDown(StorageException e) {
        LOG.warnf("a request needed S3, which failed: %s", e.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", "10")
                .entity(Map.of("error", "the farm's object store (S3) cannot be reached right now; try again in a few seconds")).build();
    }

    /** A JSON body that does not parse or does not fit the request's shape. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at '" + ClientErrors.path(mismatch.getPath()) + "'" : "";
        return json(400, "the request body is not valid JSON for this request" + where + ": " + ClientErrors.clean(e.getOriginalMessage()));
    }

    /** The body ended early or its multipart framing is broken: the framework reads it before any of our code runs. */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        return json(400, "the request body is incomplete or malformed (" + ClientErrors.clean(e.getMessage())
                + "): send a complete multipart/form-data body with a boundary, or JSON");
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "request failed (reference %s)", reference);
        return json(500, "internal error (reference " + reference + " in the coordinator's log); the request can be retried");
    }

    private static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
