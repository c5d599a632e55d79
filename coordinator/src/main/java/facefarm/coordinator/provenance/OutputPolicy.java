package facefarm.coordinator.provenance;

import facefarm.common.provenance.FrameFinish;
import facefarm.common.provenance.RenderRecord;
import facefarm.common.provenance.SourceConsent;
import facefarm.common.provenance.VisibleLabel;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobRow;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The farm's rules for what it delivers (farm.provenance.*), per tenant: whether sources need consent, the label and
 * the resolution cap every output frame gets, and the watermark naming the farm and the job. Read at start, so a
 * malformed setting stops the coordinator with a message instead of failing jobs.
 */
@ApplicationScoped
@Startup
public class OutputPolicy {
    @Inject
    FarmConfig config;

    private final Map<String, Integer> tenantMaxHeights = new HashMap<>();

    @PostConstruct
    void read() {
        for (String entry : config.provenance().maxOutputHeightTenants().orElse(List.of())) {
            String[] parts = entry.split("=", 2);
            try {
                int height = Integer.parseInt(parts.length == 2 ? parts[1].trim() : "");
                if (height < 2) {
                    throw new NumberFormatException();
                }
                tenantMaxHeights.put(parts[0].trim(), height);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("farm.provenance.max-output-height-tenants takes TENANT=LINES entries (such as studio-a=1080), got '"
                        + entry + "'", e);
            }
        }
        config.provenance().maxOutputHeight().filter(h -> h < 2).ifPresent(h -> {
            throw new IllegalStateException("farm.provenance.max-output-height must be at least 2 lines, got " + h);
        });
        VisibleLabel fallback = new VisibleLabel(config.provenance().labelText(), null, null);
        if (!fallback.problems().isEmpty()) {
            throw new IllegalStateException("farm.provenance.label-text: " + String.join("; ", fallback.problems()));
        }
    }

    public boolean consentRequired(String tenant) {
        return config.provenance().consentRequired() || config.provenance().consentRequiredTenants().orElse(List.of()).contains(tenant);
    }

    /** What the output's Content Credentials record of the job, or null when the farm writes none (farm.provenance.credentials). */
    public RenderRecord renderRecord(JobRow job) {
        if (!config.provenance().credentials()) {
            return null;
        }
        FrameFinish finish = finish(job);
        return new RenderRecord(job.id().toString(), config.provenance().farmName(), finish.watermark() == null ? null : finish.watermark().hex(),
                job.processors(), job.analysis().models(), SourceConsent.of(job.submission().inputs().sources()));
    }

    /** How every owned frame of the job is finished: the tenant's cap, the job's label (or the policy's), the watermark. */
    public FrameFinish finish(JobRow job) {
        FarmConfig.Provenance rules = config.provenance();
        String tenant = job.owner().tenant();
        VisibleLabel label = job.submission().options().label();
        if (label == null && (rules.labelRequired() || rules.labelRequiredTenants().orElse(List.of()).contains(tenant))) {
            label = new VisibleLabel(rules.labelText(), null, null);
        }
        WatermarkPayload watermark = rules.watermark() ? WatermarkPayload.of(rules.farmName(), job.id()) : null;
        int maxHeight = tenantMaxHeights.getOrDefault(tenant, rules.maxOutputHeight().orElse(0));
        return new FrameFinish(maxHeight, label, watermark);
    }
}
