package facefarm.models;

/** A model whose licence forbids commercial use, asked for before the operator accepted that licence. */
public class LicenseNotAcceptedException extends RuntimeException {
    public LicenseNotAcceptedException(String message) {
        super(message);
    }
}
