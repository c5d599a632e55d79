package facefarm.deploy;

import facefarm.worker.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs ./farm as a user does, with its own FARM_HOME under a test's folder, and the test models on FARM_MODEL_PATH. */
final class FarmCommand {
    record Run(int exit, String stdout, String stderr) {
    }

    private FarmCommand() {
    }

    static Run run(Path dir, String modelPath, String... args) throws IOException, InterruptedException {
        return run(dir, modelPath, Map.of(), args);
    }

    /** ./farm with more environment, which the farm it starts inherits (FARM_* settings of the coordinator and workers). */
    static Run run(Path dir, String modelPath, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("farm.root"));
        List<String> command = new ArrayList<>(List.of(root.resolve("farm").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("FARM_HOME", dir.resolve("home").toString());
        builder.environment().put("FARM_MODEL_PATH", modelPath == null ? SharedFiles.modelsDir().toString() : modelPath);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./farm " + String.join(" ", args) + " did not finish; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
