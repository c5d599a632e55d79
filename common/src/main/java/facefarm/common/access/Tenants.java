package facefarm.common.access;

import java.util.regex.Pattern;

/** Tenant names: each names an S3 prefix ({@code tenants/<tenant>/}), so they are plain lower-case words. */
public final class Tenants {
    /** The tenant of the farm's own operator token, and of jobs from before tenants. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private Tenants() {
    }

    public static String require(String tenant) {
        if (tenant == null || !NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant is 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit; got '"
                    + (tenant == null ? "" : tenant.replaceAll("\\p{Cntrl}", "?")) + "'");
        }
        return tenant;
    }
}
