package facefarm.coordinator.access;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The caller of the current request, from its authenticated identity. */
@RequestScoped
public class CurrentCaller {
    @Inject
    SecurityIdentity identity;

    /** The caller's farm role: the strongest of its roles the farm knows (an OIDC identity may carry others). */
    public Caller get() {
        Role role = java.util.Arrays.stream(new Role[] {Role.OPERATOR, Role.SUBMITTER, Role.VIEWER}).filter(r -> identity.hasRole(r.id()))
                .findFirst().orElseThrow(() -> new io.quarkus.security.ForbiddenException("the identity has none of the farm's roles"));
        return new Caller(identity.getPrincipal().getName(), identity.getAttribute(TokenIdentities.TENANT), role);
    }
}
