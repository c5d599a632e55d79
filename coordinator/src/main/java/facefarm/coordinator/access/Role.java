package facefarm.coordinator.access;

import java.util.Arrays;
import java.util.Locale;

/** What a token may do. The names are the security roles that {@code @RolesAllowed} checks. */
public enum Role {
    /** Submits jobs and sees, steers and downloads its own. */
    SUBMITTER,
    /** Sees and steers every job of every tenant, the workers and the farm's settings, and manages tokens. */
    OPERATOR,
    /** Reads its tenant's jobs and progress; changes nothing. */
    VIEWER;

    public static final String SUBMITTER_NAME = "submitter";
    public static final String OPERATOR_NAME = "operator";
    public static final String VIEWER_NAME = "viewer";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        return Arrays.stream(values()).filter(r -> r.id().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("role must be submitter, operator or viewer, got '" + value + "'"));
    }
}
