package facefarm.coordinator.access;

import facefarm.common.access.TokenSecrets;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the farm's own API tokens from {@code Authorization: Bearer ff_...}. No header leaves the request anonymous
 * (the resource then answers 401); an {@code ff_} token that is not live fails it. Other bearer tokens (JWTs) are left
 * to the OIDC mechanism when OIDC is configured, and are refused otherwise.
 */
@ApplicationScoped
public class TokenAuthentication implements HttpAuthenticationMechanism {
    private static final String SCHEME = "Bearer";

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidcEnabled;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (!header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1) || header.length() > 8192) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the Authorization header is not 'Bearer <token>'"));
        }
        String token = header.substring(SCHEME.length() + 1).trim();
        if (!TokenSecrets.isFarmToken(token)) {
            return oidcEnabled ? Uni.createFrom().nullItem()
                    : Uni.createFrom().failure(new AuthenticationFailedException("the bearer token is not one of the farm's API tokens"));
        }
        return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, SCHEME.toLowerCase())));
    }

    /** Before OIDC's mechanism, which would take any bearer token for a JWT. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", SCHEME + " realm=\"facefarm\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }
}
