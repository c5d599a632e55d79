package facefarm.coordinator.api;

import facefarm.coordinator.ingest.BadInputException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as {"error": "..."} with a status that says whose problem it is. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response badInput(BadInputException e) {
        return json(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(404, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return json(500, "internal error: " + e.getMessage());
    }

    private static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
