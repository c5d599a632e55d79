package facefarm.common.provenance;

/** A job's source face (by its number and name) with the consent on record for it; {@code consent} is null when none was given. */
public record SourceConsent(int source, String name, Consent consent) {
}
