package facefarm.common.messaging;

import facefarm.common.storage.ObjectKeys;
import java.util.Collection;
import java.util.UUID;

/**
 * Checks on the ids and object keys a work message carries, made when it is decoded: workers put ids into file names
 * and keys into S3 requests, so a forged or corrupt record must not reach them.
 */
final class WorkRefs {
    private WorkRefs() {
    }

    static void requireIds(String jobId, String attemptId) {
        requireUuid("jobId", jobId);
        requireUuid("attemptId", attemptId);
    }

    static void requireUuid(String field, String value) {
        if (!isUuid(value)) {
            throw new IllegalArgumentException(field + " must be a UUID, got " + printable(value));
        }
    }

    /** In its canonical form only: UUID.fromString also takes short groups such as "1-2-3-4-5". */
    private static boolean isUuid(String value) {
        try {
            return value != null && UUID.fromString(value).toString().equals(value.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Null keys are allowed (optional inputs); present ones must be plain keys of this job's or outside every job's folder. */
    static void requireKeys(String jobId, Collection<String> keys) {
        for (String key : keys) {
            if (key != null) {
                String problem = ObjectKeys.jobKeyProblem(jobId, key);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        }
    }

    private static String printable(String value) {
        return value == null ? "nothing" : "'" + value.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
