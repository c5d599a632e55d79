package facefarm.coordinator.access;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The caller of the current request, from its authenticated identity. */
@RequestScoped
public class CurrentCaller {
    @Inject
    SecurityIdentity identity;

    public Caller get() {
        Role role = identity.getRoles().stream().map(Role::parse).findFirst()
                .orElseThrow(() -> new IllegalStateException("request without a role reached an API that needs one"));
        return new Caller(identity.getPrincipal().getName(), identity.getAttribute(TokenIdentities.TENANT), role);
    }
}
