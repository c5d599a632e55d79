package facefarm.models;

/** A model could not be found, downloaded or verified; the message says where we looked and what to do. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) {
        super(message);
    }

    public ModelNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
