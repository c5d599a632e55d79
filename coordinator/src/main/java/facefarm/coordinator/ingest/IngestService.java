package facefarm.coordinator.ingest;

import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobInputs;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.OptionRules;
import facefarm.common.provenance.Consent;
import facefarm.common.storage.JobFolder;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.access.Caller;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.AfterCommit;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobService;
import facefarm.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a submission into a PREPARING job: check what can be checked without media (options, names, ranges, that the
 * inputs exist), store small uploaded inputs in S3, persist the job and offer its prepare task. Everything that needs
 * the media or the models (probe, face checks, the chain's models) runs on a worker, so a request never waits for
 * a decode, whatever the size of the video.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    @Inject
    FarmConfig config;

    @Inject
    ObjectStore objects;

    @Inject
    JobService jobs;

    @Inject
    AfterCommit afterCommit;

    @Inject
    facefarm.coordinator.provenance.OutputPolicy policy;

    /** A file that came in a multipart request, on the coordinator's disk until it is stored. */
    public record Upload(Path file, String name) {
    }

    /** A job whose inputs came in the request: they are stored under the job's own folder first. */
    public UUID submit(Upload target, List<Upload> sources, Upload audio, JobOptions options, Caller caller) {
        return submit(target, sources, List.of(), audio, options, caller);
    }

    /** @param consentIds the consent reference of each source, in order (or none at all) */
    public UUID submit(Upload target, List<Upload> sources, List<String> consentIds, Upload audio, JobOptions options, Caller caller) {
        JobOptions opts = checked(options, sources.size(), target != null, audio != null);
        if (!consentIds.isEmpty() && consentIds.size() != sources.size()) {
            throw new BadInputException(400, "give one 'consent' part per 'source' part, in the same order (or none), got " + consentIds.size()
                    + " for " + sources.size() + " source(s)");
        }
        List<Consent> consents = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            consents.add(consentIds.isEmpty() ? null : new Consent(consentIds.get(i), null, null));
        }
        consents = consents(sources.stream().map(Upload::name).toList(), consents, caller);
        // a reference photo is uploaded first and named by key, in a multipart request too
        opts.referencePhotos().forEach(file -> checkUploaded(file, caller));
        UUID id = UUID.randomUUID();
        JobFolder folder = new JobFolder(caller.tenant(), id.toString());
        try {
            InputFile targetFile = store(target, folder.target(target.name()));
            List<InputFile> sourceFiles = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                sourceFiles.add(store(sources.get(i), folder.source(i, sources.get(i).name())).withConsent(consents.get(i)));
            }
            InputFile audioFile = audio == null ? null : store(audio, folder.audio(audio.name()));
            return create(id, new JobInputs(targetFile, sourceFiles, audioFile), opts, caller);
        } catch (RuntimeException e) {
            removeQuietly(folder, e);
            throw e;
        }
    }

    /**
     * A job on inputs already in the farm's bucket: a submitter or viewer may refer to its tenant's uploads only, an
     * operator to any object outside the jobs' folders (put there by other tools).
     */
    public UUID submit(JobInputs inputs, JobOptions options, Caller caller) {
        JobOptions opts = checked(options, inputs == null ? 0 : inputs.sources().size(), inputs != null && inputs.target() != null,
                inputs != null && inputs.audio() != null);
        if (inputs.target().consent() != null || inputs.audio() != null && inputs.audio().consent() != null) {
            throw new BadInputException(400, "consent belongs to the source faces ('sources'), not to the target or the audio");
        }
        List<Consent> consents = consents(inputs.sources().stream().map(InputFile::name).toList(),
                inputs.sources().stream().map(InputFile::consent).toList(), caller);
        List<InputFile> all = new ArrayList<>(inputs.sources());
        all.add(0, inputs.target());
        if (inputs.audio() != null) {
            all.add(inputs.audio());
        }
        all.addAll(opts.referencePhotos());
        consents.stream().filter(c -> c != null && c.document() != null).forEach(c -> all.add(new InputFile(c.document(), null)));
        for (InputFile file : all) {
            checkUploaded(file, caller);
        }
        UUID id = UUID.randomUUID();
        JobFolder folder = new JobFolder(caller.tenant(), id.toString());
        List<InputFile> sources = new ArrayList<>();
        try {
            for (int i = 0; i < inputs.sources().size(); i++) {
                sources.add(inputs.sources().get(i).withConsent(keptDocument(consents.get(i), folder, i)));
            }
            return create(id, new JobInputs(inputs.target(), sources, inputs.audio()), opts, caller);
        } catch (RuntimeException e) {
            removeQuietly(folder, e);
            throw e;
        }
    }

    /**
     * Each source's consent checked against the farm's policy (farm.provenance.consent-required, or
     * -required-tenants), attested by the caller where the submission left that out.
     */
    private List<Consent> consents(List<String> sourceNames, List<Consent> given, Caller caller) {
        boolean farmWide = config.provenance().consentRequired();
        boolean required = policy.consentRequired(caller.tenant());
        List<String> problems = new ArrayList<>();
        List<Consent> consents = new ArrayList<>();
        for (int i = 0; i < sourceNames.size(); i++) {
            String label = "source " + i + " (" + sourceNames.get(i) + ")";
            Consent consent = given.get(i);
            if (consent == null && required) {
                problems.add(label + " has no consent reference, which this farm requires" + (farmWide ? "" : " of tenant " + caller.tenant())
                        + ": give each source its consent {\"id\": \"the release's reference\", \"document\": \"an upload's key\"}"
                        + " (./farm render --consent ID[@FILE], one per --source, in order)");
            } else if (consent != null) {
                problems.addAll(consent.problems(label));
                consent = consent.attestedBy() == null ? consent.withAttestedBy(caller.name()) : consent;
            }
            consents.add(consent);
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(400, String.join("; ", problems));
        }
        return consents;
    }

    /** The consent with its document copied into the job's folder, where it stays as long as the job's record. */
    private Consent keptDocument(Consent consent, JobFolder folder, int sourceIndex) {
        if (consent == null || consent.document() == null) {
            return consent;
        }
        String kept = folder.consent(sourceIndex, consent.document().substring(consent.document().lastIndexOf('/') + 1));
        objects.copy(consent.document(), kept);
        return consent.withDocument(kept);
    }

    /** An input named by key: a safe key, the caller's tenant's (or any for an operator), in the bucket, not empty. */
    private void checkUploaded(InputFile file, Caller caller) {
        String problem = ObjectKeys.keyProblem(file.key());
        if (problem != null) {
            throw new BadInputException(400, problem);
        }
        if (!caller.isOperator() && !file.key().startsWith(ObjectKeys.uploadsPrefix(caller.tenant()))) {
            // another tenant's object answers as if it did not exist
            throw new BadInputException(400, "no object '" + file.key() + "' among tenant " + caller.tenant()
                    + "'s uploads: upload it first (POST /api/v1/uploads) and refer to the key that answered");
        }
        long size = objects.size(file.key());
        if (size < 0) {
            throw new BadInputException(400, "no object '" + file.key() + "' in bucket '" + objects.bucket()
                    + "': upload it first (POST /api/v1/uploads) or check the key");
        }
        if (size == 0) {
            throw new BadInputException(400, "object '" + file.key() + "' is empty: upload the whole file");
        }
    }

    private JobOptions checked(JobOptions options, int sources, boolean hasTarget, boolean hasAudio) {
        JobOptions opts = options == null ? new JobOptions(null, null, null) : options;
        List<String> problems = new ArrayList<>(opts.problems(OptionRules.PROCESSORS));
        FarmConfig.Limits limits = config.limits();
        if (opts.chunkFrames() != null && opts.chunkFrames() >= 1 && opts.chunkFrames() < limits.minChunkFrames()) {
            problems.add("chunkFrames must be at least " + limits.minChunkFrames() + " on this farm (farm.limits.min-chunk-frames), got " + opts.chunkFrames());
        }
        if (opts.webhookUrl() != null) {
            String host = JobOptions.webhookHost(opts.webhookUrl());
            java.util.List<String> allowed = config.notifications().allowedHosts().orElse(java.util.List.of());
            if (host != null && !allowed.contains(host)) {
                problems.add("webhookUrl names host '" + host + "', which this farm does not post to: " + (allowed.isEmpty()
                        ? "an operator allows hosts with FARM_NOTIFICATIONS_ALLOWED_HOSTS" : "allowed are " + String.join(", ", allowed)));
            }
        }
        if (opts.analysis() != null && opts.analysis().mapsFaces()) {
            opts.analysis().faceMap().stream().filter(m -> m != null && m.source() >= sources).findFirst().ifPresent(m -> problems.add("face map entry "
                    + m.label() + " names source " + m.source() + ", but the job has " + sources + " source image(s), numbered from 0 in the order given"));
        }
        if (sources > limits.maxSources()) {
            problems.add("a job takes at most " + limits.maxSources() + " source images (farm.limits.max-sources), got " + sources);
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(400, String.join("; ", problems));
        }
        if (!hasTarget) {
            throw new BadInputException(400, "the 'target' part (the video to process) is missing");
        }
        if (!hasAudio && opts.audioFit() != null) {
            throw new BadInputException(400, "audioFit applies to a job with new audio: add an 'audio' part, or leave audioFit out");
        }
        return opts.withDefaults(config.chunkFrames(), config.defaultProcessors().orElse(null));
    }

    private UUID create(UUID id, JobInputs inputs, JobOptions options, Caller caller) {
        JobService.Followup followup = jobs.create(JobRow.submitted(id, inputs, options, new JobRow.Owner(caller.tenant(), caller.name())));
        LOG.infof("job=%s submitted by %s of tenant %s: target=%s sources=%d audio=%s; preparing on a worker", id, caller.name(), caller.tenant(), inputs.target().key(), inputs.sources().size(),
                inputs.audio() == null ? "target's" : inputs.audio().key());
        afterCommit.run(followup);
        return id;
    }

    private InputFile store(Upload upload, String key) {
        objects.upload(upload.file(), key);
        return new InputFile(key, upload.name());
    }

    private void removeQuietly(JobFolder folder, RuntimeException cause) {
        try {
            objects.deletePrefix(folder.prefix());
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }
}
