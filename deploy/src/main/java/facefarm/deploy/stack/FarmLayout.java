package facefarm.deploy.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build's outputs are, relative to the repository root (-Dfarm.root, else the working folder). */
public record FarmLayout(Path root) {

    public static FarmLayout detect() {
        return new FarmLayout(Path.of(System.getProperty("farm.root", ".")).toAbsolutePath().normalize());
    }

    public Path coordinatorJar() {
        return require(root.resolve("coordinator/target/quarkus-app/quarkus-run.jar"));
    }

    public String workerClassPath() {
        return root.resolve("worker/target/classes") + ":" + read(root.resolve("worker/target/classpath.txt"));
    }

    /** The launcher's own class path, which holds the Kafka broker jars. */
    public String brokerClassPath() {
        return root.resolve("deploy/target/classes") + ":" + read(root.resolve("deploy/target/classpath.txt"));
    }

    public Path nativeCache() {
        return root.resolve(".farm/natives/javacpp");
    }

    private static String read(Path file) {
        try {
            return Files.readString(require(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path require(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build the farm first (./mvnw -DskipTests package, or just ./farm)");
        }
        return file;
    }
}
