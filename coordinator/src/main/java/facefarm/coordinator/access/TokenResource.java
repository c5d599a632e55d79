package facefarm.coordinator.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import facefarm.common.messaging.Messages;
import facefarm.coordinator.ingest.BadInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/** Operators make, list and revoke API tokens. A token's secret is in the answer that made it, and nowhere else. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public class TokenResource {
    private static final Logger LOG = Logger.getLogger(TokenResource.class);

    @Inject
    ApiTokens tokens;

    @Inject
    CurrentCaller caller;

    /** What an operator asks for: a unique name, a tenant and a role. */
    public record TokenRequest(String name, String tenant, String role) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a token {\"name\": \"ci-acme\", \"tenant\": \"acme\", \"role\": \"submitter\"|\"viewer\"|\"operator\"}; "
            + "the answer holds its secret, shown this once")
    public Map<String, Object> create(String body) {
        TokenRequest request;
        try {
            request = Messages.JSON.readValue(body == null || body.isBlank() ? "null" : body, TokenRequest.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "the body is not {\"name\": ..., \"tenant\": ..., \"role\": ...}: " + e.getOriginalMessage());
        }
        if (request == null) {
            throw new BadInputException(400, "send {\"name\": ..., \"tenant\": ..., \"role\": \"submitter\"|\"viewer\"|\"operator\"}");
        }
        String secret;
        Role role;
        try {
            role = Role.parse(request.role());
            secret = tokens.create(request.name(), request.tenant(), role);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw new BadInputException(409, e.getMessage());
        }
        LOG.infof("token %s (%s of tenant %s) made by %s", request.name(), role.id(), request.tenant(), caller.get().name());
        return Map.of("name", request.name(), "tenant", request.tenant(), "role", role.id(), "token", secret);
    }

    @GET
    @Operation(summary = "Every token's name, tenant, role and dates (never a secret)")
    public List<Map<String, Object>> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Revoke a token: requests with it answer 401 from now on")
    public Map<String, Object> revoke(@PathParam("name") String name) {
        if (!tokens.revoke(name)) {
            throw new BadInputException(404, "no live token named '" + name + "' (GET /api/v1/tokens lists them)");
        }
        LOG.infof("token %s revoked by %s", name, caller.get().name());
        return Map.of("revoked", name);
    }
}
