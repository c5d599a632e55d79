package facefarm.worker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test media and models from ../shared beside the checkout; tests that need them skip, saying what is missing. */
public final class SharedFiles {
    private SharedFiles() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("farm.root", "..")).toAbsolutePath().normalize().resolveSibling("shared");
    }

    public static Path media(String name) {
        Path file = shared().resolve("media").resolve(name);
        assumeTrue(Files.isRegularFile(file), "skipped: test media " + file + " is missing (tests expect ../shared/media beside the checkout)");
        return file;
    }

    public static Path modelsDir() {
        Path dir = shared().resolve("models");
        assumeTrue(Files.isDirectory(dir), "skipped: test models folder " + dir + " is missing (tests expect ../shared/models beside the checkout)");
        return dir;
    }
}
