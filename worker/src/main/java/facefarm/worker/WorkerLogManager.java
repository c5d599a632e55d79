package facefarm.worker;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, kept working while the worker shuts down: the JDK's own resets every handler as soon as
 * the JVM starts to exit, which would swallow the lines a stopping worker writes about the chunk it hands back. Set
 * with -Djava.util.logging.manager=facefarm.worker.WorkerLogManager; {@link #resetFinally} flushes at the very end.
 */
public final class WorkerLogManager extends LogManager {
    @Override
    public void reset() {
        // the JDK's shutdown hook calls this; the worker calls resetFinally once it has stopped
    }

    /** Closes the handlers for good (the worker's last act). */
    public static void resetFinally() {
        if (LogManager.getLogManager() instanceof WorkerLogManager manager) {
            manager.resetNow();
        }
    }

    private void resetNow() {
        super.reset();
    }
}
