package facefarm.common.messaging;

import facefarm.common.provenance.ProvenanceReport;
import java.util.Objects;

/** A worker's answer to a {@link ProvenanceCheck}: the {@code report}, or {@code error} saying why there is none. */
public record ProvenanceCheckResult(String checkId, String workerId, ProvenanceReport report, String error) {
    public ProvenanceCheckResult {
        Objects.requireNonNull(checkId, "checkId");
        WorkRefs.requireUuid("checkId", checkId);
        if ((report == null) == (error == null)) {
            throw new IllegalArgumentException("a provenance check result has a report or an error, one of them");
        }
    }
}
