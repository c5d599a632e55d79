package facefarm.deploy.stack;

import facefarm.common.access.TokenSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The launcher's own operator token, in {@code $FARM_HOME/token} (mode 0600): made once, kept across runs, used by
 * ./farm itself and printed by {@code ./farm token}. The coordinator gets only its hash.
 */
public final class LocalToken {
    private LocalToken() {
    }

    public static Path file(Path home) {
        return home.resolve("token");
    }

    /** The token in {@code home}, made (readable by its owner only) when there is none. */
    public static String ensure(Path home) {
        Path file = file(home);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(home);
            String secret = TokenSecrets.newSecret();
            Files.writeString(file, secret + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the farm's operator token in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The token in {@code home}, or null when this farm has none yet. */
    public static String read(Path home) {
        try {
            Path file = file(home);
            return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file(home) + ": " + e.getMessage(), e);
        }
    }
}
