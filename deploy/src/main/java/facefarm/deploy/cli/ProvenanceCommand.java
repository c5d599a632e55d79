package facefarm.deploy.cli;

import facefarm.common.jobs.JobStatus;
import facefarm.common.provenance.ProvenanceCheckStatus;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.worker.media.MediaException;
import facefarm.worker.provenance.ProvenanceReader;
import facefarm.worker.provenance.c2pa.SidecarCredentials;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ./farm provenance FILE: reads the farm's invisible watermark from the file's first frames and checks its Content
 * Credentials, here (or, with --on-farm, on one of the farm's workers after uploading the file), and asks a farm (the
 * running one, or --api URL) what the watermark points to.
 */
final class ProvenanceCommand {
    /** How long an on-farm check may wait for a worker. */
    static final Duration CHECK_WAIT = Duration.ofMinutes(10);

    private final PrintStream out;

    ProvenanceCommand(PrintStream out) {
        this.out = out;
    }

    /**
     * @param farm   the farm to ask about the payload, or null when none is running
     * @param onFarm whether a worker of {@code farm} reads the file instead of this machine
     * @return whether a watermark was found
     */
    boolean run(Path file, int frames, CoordinatorClient farm, boolean onFarm) {
        if (!Files.isRegularFile(file)) {
            throw new FarmCli.UsageException("no such file: " + file);
        }
        ProvenanceReport report;
        WatermarkOrigin origin = null;
        if (onFarm) {
            if (farm == null) {
                throw new FarmCli.UsageException("--on-farm needs a farm: start one with ./farm up, or name one with --api URL and FARM_TOKEN");
            }
            ProvenanceCheckStatus check = onFarm(file, frames, farm);
            if (check.state() != ProvenanceCheckStatus.State.DONE) {
                throw new FarmCli.UsageException(check.error());
            }
            out.println("checked on the farm: check " + check.id() + " of " + check.key());
            report = check.report();
            origin = check.origin();
        } else {
            try {
                report = ProvenanceReader.read(file, frames);
            } catch (MediaException e) {
                throw new FarmCli.UsageException(file + " is not a video or image this farm can decode, so it has no watermark to read");
            }
            if (report.watermark().found() && farm != null) {
                origin = farm.watermarkOrigin(report.watermark().payload());
            }
        }
        credentials(report.credentials(), file);
        watermark(report.watermark(), origin, farm != null);
        return report.watermark().found();
    }

    /** Uploads the file (and its sidecar, when one is beside it) and waits for a worker's report. */
    private static ProvenanceCheckStatus onFarm(Path file, int frames, CoordinatorClient farm) {
        Uploader uploader = new Uploader(farm);
        String key = uploader.upload(file, n -> { }).key();
        Path sidecar = SidecarCredentials.sidecarOf(file);
        String sidecarKey = !sidecar.equals(file) && Files.isRegularFile(sidecar) ? uploader.upload(sidecar, n -> { }).key() : null;
        ProvenanceCheckStatus check = farm.startProvenanceCheck(key, sidecarKey, frames);
        long deadline = System.nanoTime() + CHECK_WAIT.toNanos();
        while (check.state() == ProvenanceCheckStatus.State.QUEUED) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no worker reported check " + check.id() + " within " + CHECK_WAIT.toMinutes()
                        + " minutes: see ./farm status for the workers");
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            check = farm.provenanceCheck(check.id());
        }
        return check;
    }

    /** The C2PA Content Credentials line(s): present or not (in the file, or in its sidecar), valid or why not, who signed, what they say. */
    private void credentials(ProvenanceReport.Credentials report, Path file) {
        switch (report.status()) {
            case NONE -> out.println("content credentials: none" + (file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(mp4|mov|m4v)$") ? ""
                    : " (neither in the file nor in a sidecar " + SidecarCredentials.sidecarOf(file).getFileName() + " beside it)"));
            case INVALID -> out.println("content credentials" + (report.location() == null ? "" : " (" + report.location() + ")") + ": INVALID: "
                    + report.problem());
            case VALID -> {
                ProvenanceReport.Signer signer = report.signer();
                out.println("content credentials (" + report.location() + "): valid (signature, assertions and the file's hash check out), signed by \""
                        + signer.name() + "\"" + (signer.localKey() ? ", a farm's local key that no reader trusts unless given its root"
                        : ", issued by \"" + signer.issuer() + "\""));
                out.println("  says: " + (report.digitalSourceType() == null ? "no digital source type"
                        : report.digitalSourceType().substring(report.digitalSourceType().lastIndexOf('/') + 1)) + describe(report.render()));
            }
        }
    }

    private void watermark(ProvenanceReport.Watermark mark, WatermarkOrigin origin, boolean farmKnown) {
        if (!mark.found()) {
            out.println("watermark: none found in " + mark.frames() + " frame(s): this file was not marked by a facefarm, or too little of"
                    + " the mark survived (it is read through re-encoding, half size and crops of up to 7 %)");
            return;
        }
        WatermarkPayload payload = WatermarkPayload.parse(mark.payload());
        out.printf(Locale.ROOT, "watermark: payload %s (farm %04x, job %s...), bit error rate %.2f %% over %d frame(s)%s%n", payload.hex(),
                payload.farm(), payload.jobIdPrefix(), 100 * mark.bitErrorRate(), mark.frames(), framing(mark));
        if (!farmKnown) {
            out.println("farm: not asked (no farm is running here; start one with ./farm up, or name one with --api URL and FARM_TOKEN)");
        } else if (!origin.thisFarm()) {
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
    }

    private static String describe(Map<String, Object> render) {
        if (render.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; job " + render.get("job") + " of farm " + render.get("farm"));
        if (render.get("models") instanceof List<?> models && !models.isEmpty()) {
            text.append("; models ").append(String.join(", ", models.stream().map(m -> ((Map<?, ?>) m).get("id") + " ("
                    + ((Map<?, ?>) m).get("license") + ")").toList()));
        }
        if (render.get("consents") instanceof List<?> consents) {
            for (Object c : consents) {
                Map<?, ?> consent = (Map<?, ?>) c;
                text.append("; source ").append(consent.get("name")).append(consent.get("id") == null ? ": no consent on record"
                        : ": consent " + consent.get("id") + ", attested by " + consent.get("attestedBy"));
            }
        }
        return text.toString();
    }

    private static String framing(ProvenanceReport.Watermark mark) {
        return mark.keptX() >= 1 && mark.keptY() >= 1 ? "" : String.format(Locale.ROOT, ", from a copy cropped to %.0f %% x %.0f %% of the marked frame",
                100 * mark.keptX(), 100 * mark.keptY());
    }
}
