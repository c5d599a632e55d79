package facefarm.worker.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Scratch folders of a task, removed whole when it ends, on success and on failure. */
public final class WorkFolder {
    private static final System.Logger LOG = System.getLogger(WorkFolder.class.getName());

    private WorkFolder() {
    }

    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot clean " + dir, e);
        }
    }
}
