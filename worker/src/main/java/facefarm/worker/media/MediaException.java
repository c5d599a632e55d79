package facefarm.worker.media;

/** A video or image the farm cannot use, with what the user should do about it. */
public class MediaException extends RuntimeException {
    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
