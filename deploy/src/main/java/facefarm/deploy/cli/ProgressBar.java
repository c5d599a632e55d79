package facefarm.deploy.cli;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.JobStatus;
import java.io.PrintStream;
import java.util.Locale;

/** One status line: redrawn in place on a terminal, printed every few seconds otherwise (logs, CI). */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private long lastPrinted;
    private String lastLine = "";

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void update(JobStatus status) {
        String line = render(status);
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            out.flush();
        } else if (status.state().isTerminal() || (!line.equals(lastLine) && now - lastPrinted > 3_000_000_000L)) {
            out.println(line);
            lastPrinted = now;
        }
        lastLine = line;
    }

    void finish() {
        if (terminal && !lastLine.isEmpty()) {
            out.println();
        }
    }

    static String render(JobStatus s) {
        double fraction = s.framesTotal() == 0 ? 0 : (double) s.framesDone() / s.framesTotal();
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = s.etaSeconds() == null ? "--" : formatSeconds(s.etaSeconds());
        return String.format(Locale.ROOT, "[%s%s] %d/%d frames %5.1f frames/s ETA %s | chunks %d done, %d running, %d offered%s | %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), s.framesDone(), s.framesTotal(), s.framesPerSecond(), eta,
                count(s, ChunkState.DONE), count(s, ChunkState.RUNNING), count(s, ChunkState.OFFERED),
                count(s, ChunkState.FAILED) > 0 ? ", " + count(s, ChunkState.FAILED) + " failed" : "", s.state());
    }

    private static int count(JobStatus s, ChunkState state) {
        return s.chunks() == null ? 0 : s.chunks().getOrDefault(state, 0);
    }

    static String formatSeconds(double seconds) {
        long total = Math.round(seconds);
        return total >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", total / 3600, total / 60 % 60)
                : total >= 60 ? String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60) : total + "s";
    }
}
