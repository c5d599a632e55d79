package facefarm.coordinator.database;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the coordinator's pool, one statement per call, in the caller's transaction when it has one. Every
 * store (jobs, tokens) goes through here, so a failure is always wrapped the same way.
 */
@ApplicationScoped
public class Sql {
    @Inject
    AgroalDataSource dataSource;

    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    public interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A connection of the pool, for what one statement cannot do (a batch); the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public <T> T execute(String sql, Statement<T> statement) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return statement.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("database statement failed: " + e.getMessage(), e);
        }
    }

    /** @return the rows changed */
    public int update(String sql, Object... args) {
        return execute(sql, ps -> {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        });
    }

    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return execute(sql, ps -> {
            binder.bind(ps);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        });
    }
}
