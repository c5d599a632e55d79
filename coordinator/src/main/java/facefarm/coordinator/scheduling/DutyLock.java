package facefarm.coordinator.scheduling;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Which coordinator runs the farm's singleton duties (the reaper and the outbox's re-sends): the one holding a
 * PostgreSQL session advisory lock. The lock lives as long as its connection, so a coordinator that dies or loses
 * the database gives it up, and another takes it on its next tick. Event handling needs no lock: the coordinators
 * share the event topics' partitions, and every change locks its rows.
 */
@ApplicationScoped
public class DutyLock {
    private static final Logger LOG = Logger.getLogger(DutyLock.class);
    /** The lock's key: "facefarm" as a number, so it stays clear of other applications' locks in a shared database. */
    static final long KEY = 0x6661636566617266L;

    @Inject
    AgroalDataSource db;

    private Connection held;
    private boolean announcedStandby;

    /** Whether this coordinator holds the lock now, taking it when it is free. */
    public synchronized boolean held() {
        if (held != null) {
            if (alive(held)) {
                return true;
            }
            close(held);
            held = null;
            LOG.warn("lost the database session that held the duty lock; taking it again when the database answers");
        }
        Connection connection = null;
        try {
            connection = db.getConnection();
            try (PreparedStatement ps = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held = connection;
                        announcedStandby = false;
                        LOG.info("this coordinator runs the farm's singleton duties (reaper, outbox re-sends)");
                        return true;
                    }
                }
            }
            if (!announcedStandby) {
                announcedStandby = true;
                LOG.info("another coordinator runs the farm's singleton duties; this one serves the API and events, and stands by");
            }
            close(connection);
            return false;
        } catch (SQLException e) {
            close(connection);
            LOG.debugf(e, "cannot reach the database for the duty lock");
            return false;
        }
    }

    private static boolean alive(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf(e, "closing a connection of the duty lock failed");
        }
    }

    /** Unlocks before the connection goes back to the pool: a pooled session would keep the lock. */
    @PreDestroy
    synchronized void release() {
        if (held == null) {
            return;
        }
        try (PreparedStatement ps = held.prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, KEY);
            ps.execute();
        } catch (SQLException e) {
            LOG.debugf(e, "unlocking the duty lock failed; it goes with the session");
        }
        close(held);
        held = null;
    }
}
