package facefarm.coordinator.access;

import facefarm.common.access.Tenants;
import java.util.regex.Pattern;

/**
 * Who makes a request: the token's name, its tenant and its role. A submitter sees the jobs it submitted, a viewer
 * every job of its tenant, an operator every job.
 */
public record Caller(String name, String tenant, Role role) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Caller {
        Tenants.require(tenant);
    }

    public static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name is 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit; got '"
                    + name + "'");
        }
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** Whether a job of {@code jobTenant}, submitted by {@code submittedBy}, is visible to this caller. */
    public boolean sees(String jobTenant, String submittedBy) {
        return switch (role) {
            case OPERATOR -> true;
            case VIEWER -> tenant.equals(jobTenant);
            case SUBMITTER -> tenant.equals(jobTenant) && name.equals(submittedBy);
        };
    }
}
