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
        show(render(status), status.state().isTerminal());
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

    /** An upload's progress in bytes, on the same terms as the job's bar. */
    static final class Bytes {
        private final ProgressBar bar;
        private final String what;
        private final long total;
        private final long started = System.nanoTime();

        Bytes(PrintStream out, boolean terminal, String what, long total) {
            this.bar = new ProgressBar(out, terminal);
            this.what = what;
            this.total = total;
        }

        void update(long done) {
            double fraction = total == 0 ? 1 : (double) done / total;
            int filled = (int) Math.round(fraction * WIDTH);
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            bar.show(String.format(Locale.ROOT, "farm: %s [%s%s] %.1f/%.1f MB %.1f MB/s", what, "#".repeat(filled), ".".repeat(WIDTH - filled),
                    done / 1e6, total / 1e6, done / 1e6 / seconds), done >= total);
        }

        void finish() {
            bar.finish();
        }
    }

    private void show(String line, boolean last) {
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
            out.flush();
        } else if (last || (!line.equals(lastLine) && now - lastPrinted > 3_000_000_000L)) {
            out.println(line);
            lastPrinted = now;
        }
        lastLine = line;
    }

    static String formatSeconds(double seconds) {
        long total = Math.round(seconds);
        return total >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", total / 3600, total / 60 % 60)
                : total >= 60 ? String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60) : total + "s";
    }
}
