package facefarm.worker.preparing;

import facefarm.common.jobs.Failure;

/** A check of a job's prepare task refused it: the job fails with this failure, and is not tried again. */
public final class CheckFailed extends RuntimeException {
    private final transient Failure failure;

    public CheckFailed(String check, int status, String message) {
        this(check, status, message, null);
    }

    public CheckFailed(String check, int status, String message, Throwable cause) {
        super(message, cause);
        this.failure = new Failure(check, status, message);
    }

    public Failure failure() {
        return failure;
    }
}
