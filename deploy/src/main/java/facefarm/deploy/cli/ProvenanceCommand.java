package facefarm.deploy.cli;

import facefarm.common.jobs.JobStatus;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.worker.media.MediaException;
import facefarm.worker.provenance.Framing;
import facefarm.worker.provenance.c2pa.CredentialsCheck;
import facefarm.worker.provenance.c2pa.SidecarCredentials;
import facefarm.worker.provenance.WatermarkReading;
import facefarm.worker.provenance.WatermarkScan;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * ./farm provenance FILE: reads the farm's invisible watermark from the file's first frames, here, and asks a farm
 * (the running one, or --api URL) what the payload points to.
 */
final class ProvenanceCommand {
    private final PrintStream out;

    ProvenanceCommand(PrintStream out) {
        this.out = out;
    }

    /**
     * @param farm the farm to ask about the payload, or null when none is running
     * @return whether a watermark was found
     */
    boolean run(Path file, int frames, CoordinatorClient farm) {
        if (!Files.isRegularFile(file)) {
            throw new FarmCli.UsageException("no such file: " + file);
        }
        WatermarkReading reading;
        try {
            reading = WatermarkScan.scan(file, frames);
        } catch (MediaException e) {
            throw new FarmCli.UsageException(file + " is not a video or image this farm can decode, so it has no watermark to read");
        }
        credentials(file);
        if (!reading.found()) {
            out.println("watermark: none found in " + reading.frames() + " frame(s): this file was not marked by a facefarm, or too little of"
                    + " the mark survived (it is read through re-encoding, half size and crops of up to 7 %)");
            return false;
        }
        WatermarkPayload payload = reading.payload().get();
        out.printf(Locale.ROOT, "watermark: payload %s (farm %04x, job %s...), bit error rate %.2f %% over %d frame(s)%s%n", payload.hex(),
                payload.farm(), payload.jobIdPrefix(), 100 * reading.bitErrorRate(), reading.frames(), framing(reading.framing()));
        if (farm == null) {
            out.println("farm: not asked (no farm is running here; start one with ./farm up, or name one with --api URL and FARM_TOKEN)");
            return true;
        }
        WatermarkOrigin origin = farm.watermarkOrigin(payload.hex());
        if (!origin.thisFarm()) {
            out.printf(Locale.ROOT, "farm: another farm (code %04x); this one is not it%n", origin.farmCode());
        } else if (origin.jobs().isEmpty()) {
            out.println("farm: this farm (" + origin.farmName() + "), but no job you may see starts with " + origin.jobIdPrefix()
                    + " (deleted, or another tenant's)");
        } else {
            out.println("farm: this farm (" + origin.farmName() + ")");
            for (JobStatus job : origin.jobs()) {
                out.println("job: " + job.id() + " " + job.state() + ", submitted " + job.createdAt());
            }
        }
        return true;
    }

    /** The C2PA Content Credentials line(s): present or not (in the file, or in its sidecar), valid or why not, who signed, what they say. */
    private void credentials(Path file) {
        try {
            CredentialsCheck.Report report = CredentialsCheck.check(file);
            switch (report.status()) {
                case NONE -> out.println("content credentials: none" + (CredentialsCheck.bmff(file) ? ""
                        : " (neither in the file nor in a sidecar " + SidecarCredentials.sidecarOf(file).getFileName() + " beside it)"));
                case INVALID -> out.println("content credentials (" + report.location() + "): INVALID: " + report.problem());
                case VALID -> {
                    CredentialsCheck.Signer signer = report.signer();
                    out.println("content credentials (" + report.location() + "): valid (signature, assertions and the file's hash check out), signed by \""
                            + signer.name() + "\"" + (signer.localKey() ? ", a farm's local key that no reader trusts unless given its root"
                            : ", issued by \"" + signer.issuer() + "\""));
                    out.println("  says: " + (report.digitalSourceType() == null ? "no digital source type"
                            : report.digitalSourceType().substring(report.digitalSourceType().lastIndexOf('/') + 1)) + describe(report.render()));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            out.println("content credentials: unreadable: " + e.getMessage());
        }
    }

    private static String describe(java.util.Map<?, ?> render) {
        if (render.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; job " + render.get("job") + " of farm " + render.get("farm"));
        if (render.get("models") instanceof java.util.List<?> models && !models.isEmpty()) {
            text.append("; models ").append(String.join(", ", models.stream().map(m -> ((java.util.Map<?, ?>) m).get("id") + " ("
                    + ((java.util.Map<?, ?>) m).get("license") + ")").toList()));
        }
        if (render.get("consents") instanceof java.util.List<?> consents) {
            for (Object c : consents) {
                java.util.Map<?, ?> consent = (java.util.Map<?, ?>) c;
                text.append("; source ").append(consent.get("name")).append(consent.get("id") == null ? ": no consent on record"
                        : ": consent " + consent.get("id") + ", attested by " + consent.get("attestedBy"));
            }
        }
        return text.toString();
    }

    private static String framing(Framing framing) {
        return framing.whole() ? "" : String.format(Locale.ROOT, ", from a copy cropped to %.0f %% x %.0f %% of the marked frame",
                100 * framing.keptX(), 100 * framing.keptY());
    }
}
