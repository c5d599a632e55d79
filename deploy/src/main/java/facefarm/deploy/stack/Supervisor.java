package facefarm.deploy.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Restarts what the launcher started when it dies: checks every part twice a second and starts a dead one again,
 * waiting 1 s, then doubling up to 30 s while it keeps dying within a minute of its start. Every restart is logged
 * and kept in {@code run/supervisor.json}, which {@code ./farm status} shows.
 */
public final class Supervisor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    private static final Duration STABLE = Duration.ofMinutes(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** A part of the farm: how to tell it is alive, and how to start it again. */
    public interface Part {
        boolean alive();

        void restart();
    }

    /** What the supervisor knows of one part, as {@code ./farm status} shows it. */
    public record Record(int restarts, String lastRestart, String lastReason, boolean paused) {
    }

    private final Path stateFile;
    private final Map<String, Entry> parts = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Entry {
        final Part part;
        int restarts;
        int quickDeaths;
        Instant startedAt = Instant.now();
        Instant lastRestart;
        String lastReason;
        boolean paused;
        Instant deadSince;

        Entry(Part part) {
            this.part = part;
        }
    }

    public Supervisor(Path stateFile) {
        this.stateFile = stateFile;
        this.thread = new Thread(this::loop, "farm-supervisor");
        this.thread.setDaemon(true);
    }

    public static Part part(BooleanSupplier alive, Runnable restart) {
        return new Part() {
            @Override
            public boolean alive() {
                return alive.getAsBoolean();
            }

            @Override
            public void restart() {
                restart.run();
            }
        };
    }

    public synchronized void watch(String name, Part part) {
        parts.put(name, new Entry(part));
    }

    public void start() {
        write();
        thread.start();
    }

    /** Leaves a part alone while the launcher stops and starts it on purpose. */
    public synchronized void pause(String name) {
        parts.get(name).paused = true;
    }

    public synchronized void resume(String name) {
        Entry entry = parts.get(name);
        entry.paused = false;
        entry.deadSince = null;
    }

    public synchronized Map<String, Record> records() {
        Map<String, Record> records = new LinkedHashMap<>();
        parts.forEach((name, e) -> records.put(name, new Record(e.restarts, e.lastRestart == null ? null : e.lastRestart.toString(), e.lastReason,
                e.paused)));
        return records;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<String, Entry> named : snapshot().entrySet()) {
                check(named.getKey(), named.getValue());
            }
        }
    }

    private synchronized Map<String, Entry> snapshot() {
        return new LinkedHashMap<>(parts);
    }

    private void check(String name, Entry entry) {
        synchronized (this) {
            if (!running || entry.paused || entry.part.alive()) {
                entry.deadSince = null;
                return;
            }
            Instant now = Instant.now();
            if (entry.deadSince == null) {
                entry.deadSince = now;
                entry.quickDeaths = Duration.between(entry.startedAt, now).compareTo(STABLE) < 0 ? entry.quickDeaths + 1 : 1;
            }
            Duration wait = backoff(entry.quickDeaths);
            if (Duration.between(entry.deadSince, now).compareTo(wait) < 0) {
                return;
            }
        }
        LOG.log(Level.WARNING, name + " died; starting it again (restart " + (entry.restarts + 1) + ")");
        String reason;
        try {
            entry.part.restart();
            reason = "died; restarted";
        } catch (RuntimeException e) {
            reason = "died; restart failed: " + e.getMessage();
            LOG.log(Level.ERROR, "restarting " + name + " failed; trying again", e);
        }
        synchronized (this) {
            entry.restarts++;
            entry.lastRestart = Instant.now();
            entry.startedAt = entry.lastRestart;
            entry.lastReason = reason;
            entry.deadSince = null;
        }
        write();
    }

    /** 1 s after the first quick death, doubling with each further one, at most 30 s. */
    static Duration backoff(int quickDeaths) {
        long seconds = 1L << Math.min(10, Math.max(0, quickDeaths - 1));
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    private void write() {
        try {
            Files.createDirectories(stateFile.getParent());
            Path partial = stateFile.resolveSibling(stateFile.getFileName() + ".part");
            Files.writeString(partial, new ObjectMapper().writeValueAsString(records()));
            Files.move(partial, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write " + stateFile, e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
