package facefarm.worker.provenance.c2pa;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent reader the tests validate Content Credentials with: the C2PA SDK's WASM build
 * (@contentauth/c2pa-wasm from the npm registry) under Node.js, installed once into target/c2pa-reader. Tests that
 * need it skip, saying why, where Node.js or the registry is missing.
 */
public final class C2paReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path installed;

    private C2paReader() {
    }

    /** The SDK's report on {@code file}: its manifests and validation; {@code anchors} (PEM roots) may be null. */
    public static JsonNode read(Path file, String mimeType, Path anchors) throws IOException, InterruptedException {
        return run(file, mimeType, anchors, null);
    }

    /**
     * The SDK's report on a sidecar's manifest store, read as application/c2pa, plus "sidecar": the data hash the SDK
     * decoded from it ({@code declared_sha256}) and the asset's own SHA-256 by Node.js ({@code asset_sha256}). The SDK
     * hashes what it reads, the sidecar itself, so its own data hash check fails by design.
     */
    public static JsonNode readSidecar(Path sidecar, Path asset, Path anchors) throws IOException, InterruptedException {
        return run(sidecar, "application/c2pa", anchors, asset);
    }

    private static JsonNode run(Path file, String mimeType, Path anchors, Path asset) throws IOException, InterruptedException {
        Path dir = install();
        List<String> command = new ArrayList<>(List.of("node", dir.resolve("read.mjs").toString(), file.toAbsolutePath().toString(), mimeType));
        if (anchors != null || asset != null) {
            command.add(anchors == null ? "" : anchors.toAbsolutePath().toString());
        }
        if (asset != null) {
            command.add(asset.toAbsolutePath().toString());
        }
        Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes());
        if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new AssertionError("the C2PA reader failed: " + out);
        }
        return JSON.readTree(out);
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        if (installed != null) {
            return installed;
        }
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "skipped: Node.js and npm are not installed (CI installs them from Debian)");
        Path dir = Path.of("target", "c2pa-reader").toAbsolutePath();
        Files.createDirectories(dir);
        for (String name : List.of("package.json", "read.mjs")) {
            try (InputStream in = C2paReader.class.getResourceAsStream("/c2pa-reader/" + name)) {
                Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@contentauth/c2pa-wasm"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes());
            assumeTrue(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0,
                    "skipped: npm could not install @contentauth/c2pa-wasm from the registry: " + log);
        }
        installed = dir;
        return dir;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
