package facefarm.coordinator.access;

import facefarm.common.access.TokenSecrets;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a bearer token into the identity of its row in {@code api_tokens}: its name, its role, its tenant. */
@ApplicationScoped
public class TokenIdentities implements IdentityProvider<TokenAuthenticationRequest> {
    static final String TENANT = "tenant";

    @Inject
    ApiTokens tokens;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        if (!TokenSecrets.isFarmToken(secret)) {
            // a JWT: the OIDC identity provider's to verify, when OIDC is configured
            return Uni.createFrom().nullItem();
        }
        return context.runBlocking(() -> {
            Caller caller = tokens.find(secret).orElseThrow(() -> new AuthenticationFailedException("the token is unknown or revoked"));
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.name())).addRole(caller.role().id())
                    .addAttribute(TENANT, caller.tenant()).build();
        });
    }
}
