package facefarm.common.provenance;

import java.util.ArrayList;
import java.util.List;

/**
 * The record that a face's owner authorised its use: the studio's reference to the release ({@code id}, such as a
 * contract number), optionally the signed {@code document} (an uploaded object's key; the farm keeps a copy with the
 * job), and who attested it ({@code attestedBy}; the submitting token's name when left out).
 */
public record Consent(String id, String document, String attestedBy) {
    /** Longest id or attester name: a reference, not the release's text. */
    public static final int MAX_TEXT = 200;

    public Consent withAttestedBy(String name) {
        return new Consent(id, document, name);
    }

    public Consent withDocument(String key) {
        return new Consent(id, key, attestedBy);
    }

    /** What is wrong with this consent of the source called {@code label}, in plain words; empty when nothing is. */
    public List<String> problems(String label) {
        List<String> problems = new ArrayList<>();
        if (id == null || id.isBlank()) {
            problems.add("the consent of " + label + " has no id: give the studio's reference to the release");
        } else if (!printable(id)) {
            problems.add("the consent id of " + label + " must be 1 to " + MAX_TEXT + " printable characters");
        }
        if (attestedBy != null && (attestedBy.isBlank() || !printable(attestedBy))) {
            problems.add("consent attestedBy of " + label + " must be 1 to " + MAX_TEXT + " printable characters, or left out (the submitter)");
        }
        return problems;
    }

    private static boolean printable(String text) {
        return text.length() <= MAX_TEXT && text.codePoints().noneMatch(Character::isISOControl);
    }
}
