package facefarm.common.jobs;

import facefarm.common.provenance.Consent;
import java.util.Objects;

/**
 * A job's input in the farm's bucket: its object key, the name the studio knows it by (for messages), and, for a
 * source face, the consent on record for it ({@link Consent}; null when none was given).
 */
public record InputFile(String key, String name, Consent consent) {
    public InputFile(String key, String name) {
        this(key, name, null);
    }

    public InputFile {
        Objects.requireNonNull(key, "key");
        if (name == null || name.isBlank()) {
            name = key.substring(key.lastIndexOf('/') + 1);
        }
    }

    public InputFile withConsent(Consent given) {
        return new InputFile(key, name, given);
    }
}
