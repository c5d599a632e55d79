package facefarm.common.messaging;

/** A record that cannot be read as a current farm message: it goes to the dead-letter topic with this reason. */
public class InvalidMessageException extends RuntimeException {
    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidMessageException(String message) {
        super(message);
    }
}
