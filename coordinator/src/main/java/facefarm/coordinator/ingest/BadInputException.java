package facefarm.coordinator.ingest;

/** A submission the farm refuses, with the HTTP status and a message that says what to fix. */
public class BadInputException extends RuntimeException {
    private final int status;

    public BadInputException(int status, String message) {
        super(message);
        this.status = status;
    }

    public BadInputException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
