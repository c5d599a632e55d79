package facefarm.common.access;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The passwords and keys the embedded stack uses and the code falls back to. They are public (they are in this
 * repository), so outside the embedded stack ({@code FARM_EMBEDDED} unset) a service refuses to start with any of them.
 */
public final class BuiltInCredentials {
    private static final Set<String> KNOWN = Set.of("facefarm", "facefarm-secret", "postgres", "minioadmin");

    private BuiltInCredentials() {
    }

    /** The names, among {@code secrets} (name to value), whose value is built in; empty when all were configured. */
    public static List<String> used(Map<String, String> secrets) {
        return secrets.entrySet().stream().filter(e -> e.getValue() == null || e.getValue().isBlank() || KNOWN.contains(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The start-up refusal naming what to set, or null when nothing built in is used. */
    public static String refusal(String service, Map<String, String> secrets) {
        List<String> used = used(secrets);
        if (used.isEmpty()) {
            return null;
        }
        return service + " refuses to start with the built-in credentials of the embedded stack: set " + String.join(", ", used)
                + " to this deployment's own secrets (FARM_EMBEDDED=true is for the ./farm launcher's loopback stack only)";
    }
}
