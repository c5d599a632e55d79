package facefarm.coordinator.access;

import facefarm.common.access.Tenants;
import facefarm.common.access.TokenSecrets;
import facefarm.coordinator.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens: 256 random bits each, shown once when made; the database keeps only their SHA-256, with the tenant and
 * role they act as, so a copy of the table lets no one in.
 */
@ApplicationScoped
public class ApiTokens {
    @Inject
    Sql db;

    /** Makes a token; its secret is returned once and never stored. Fails when the name is taken. */
    public String create(String name, String tenant, Role role) {
        Caller.requireName(name);
        Tenants.require(tenant);
        String secret = TokenSecrets.newSecret();
        int made = db.update("insert into api_tokens (name, hash, tenant, role) values (?, ?, ?, ?) on conflict (name) do nothing",
                name, TokenSecrets.hash(secret), tenant, role.id());
        if (made == 0) {
            throw new IllegalStateException("a token named '" + name + "' exists: revoke it first, or choose another name");
        }
        return secret;
    }

    /** Installs a token whose hash was made elsewhere (the launcher's own operator token), replacing an older one of that name. */
    public void install(String name, String hash, String tenant, Role role) {
        db.update("insert into api_tokens (name, hash, tenant, role) values (?, ?, ?, ?) on conflict (name) do update "
                + "set hash = excluded.hash, tenant = excluded.tenant, role = excluded.role, revoked_at = null", name, hash, tenant, role.id());
    }

    /** @return whether a live token of that name was revoked */
    public boolean revoke(String name) {
        return db.update("update api_tokens set revoked_at = now() where name = ? and revoked_at is null", name) == 1;
    }

    /** The live token with this secret, as the caller it makes. */
    public Optional<Caller> find(String secret) {
        return db.query("select name, tenant, role from api_tokens where hash = ? and revoked_at is null", ps -> ps.setString(1, TokenSecrets.hash(secret)),
                rs -> new Caller(rs.getString("name"), rs.getString("tenant"), Role.parse(rs.getString("role")))).stream().findFirst();
    }

    /** Every token, without secrets or hashes. */
    public List<Map<String, Object>> list() {
        return db.query("select name, tenant, role, created_at, revoked_at from api_tokens order by created_at", ps -> { }, rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", rs.getString("name"));
            row.put("tenant", rs.getString("tenant"));
            row.put("role", rs.getString("role"));
            row.put("createdAt", rs.getTimestamp("created_at").toInstant().toString());
            row.put("revokedAt", rs.getTimestamp("revoked_at") == null ? null : rs.getTimestamp("revoked_at").toInstant().toString());
            return row;
        });
    }
}
