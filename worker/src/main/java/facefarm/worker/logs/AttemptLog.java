package facefarm.worker.logs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log lines of the attempt in hand, for the object store: a handler on the root logger that keeps every line
 * logged between {@link #start()} and {@link #finish()}. A worker runs one attempt at a time, so those lines are the
 * attempt's own. At most {@link #MAX_LINES} are kept (the last ones), each cut to {@link #MAX_LINE} characters.
 */
public final class AttemptLog extends Handler {
    static final int MAX_LINES = 2000;
    static final int MAX_LINE = 2000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Formatter MESSAGE = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int dropped;
    private boolean capturing;

    /** A capture attached to the root logger (INFO and above, as the worker's own log). */
    public static AttemptLog attach() {
        AttemptLog log = new AttemptLog();
        log.setLevel(Level.INFO);
        Logger.getLogger("").addHandler(log);
        return log;
    }

    public synchronized void start() {
        lines.clear();
        dropped = 0;
        capturing = true;
    }

    /** Stops capturing and answers the lines kept, as UTF-8 text. */
    public synchronized byte[] finish() {
        capturing = false;
        StringBuilder text = new StringBuilder();
        if (dropped > 0) {
            text.append("... ").append(dropped).append(" earlier lines not kept\n");
        }
        lines.forEach(line -> text.append(line).append('\n'));
        lines.clear();
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!capturing || !isLoggable(record)) {
            return;
        }
        StringBuilder line = new StringBuilder().append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                .append(record.getLevel().getName()).append(' ').append(simpleName(record.getLoggerName())).append(": ").append(MESSAGE.format(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace.toString().strip());
        }
        lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line.toString());
        if (lines.size() > MAX_LINES) {
            lines.removeFirst();
            dropped++;
        }
    }

    private static String simpleName(String logger) {
        return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
