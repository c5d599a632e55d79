package facefarm.coordinator.access;

import facefarm.common.access.Tenants;
import facefarm.coordinator.config.FarmConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives an identity from the OIDC provider (a JWT) its tenant, from the claim {@code farm.access.oidc-tenant-claim}
 * ({@code facefarm_tenant}); its roles come from {@code quarkus.oidc.roles.role-claim-path}. A JWT without a valid tenant
 * is refused: a studio's identity must never fall into another tenant.
 */
@ApplicationScoped
public class OidcTenants implements SecurityIdentityAugmentor {
    @Inject
    FarmConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || identity.getAttribute(TokenIdentities.TENANT) != null) {
            return Uni.createFrom().item(identity);
        }
        String tenantClaim = config.access().oidcTenantClaim();
        Object claim = jwt.getClaim(tenantClaim);
        String tenant = claim == null ? null : claim.toString().replace("\"", "");
        try {
            Tenants.require(tenant);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the token's '" + tenantClaim + "' claim names no tenant: " + e.getMessage()));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(TokenIdentities.TENANT, tenant).build());
    }
}
