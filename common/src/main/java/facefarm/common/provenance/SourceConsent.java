package facefarm.common.provenance;

/** A job's source face (by its number and name) with the consent on record for it; {@code consent} is null when none was given. */
public record SourceConsent(int source, String name, Consent consent) {
    /** Each source of a job, numbered in order, with its consent. */
    public static java.util.List<SourceConsent> of(java.util.List<facefarm.common.jobs.InputFile> sources) {
        java.util.List<SourceConsent> consents = new java.util.ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            consents.add(new SourceConsent(i, sources.get(i).name(), sources.get(i).consent()));
        }
        return consents;
    }
}
