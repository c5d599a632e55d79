package facefarm.common.provenance;

import facefarm.common.jobs.ModelUse;
import java.util.List;

/**
 * What the delivered file's Content Credentials say about the render: the job, the farm, the watermark's payload
 * (null when unmarked), the processors, the models with their licences and the consent on record for each source.
 */
public record RenderRecord(String jobId, String farmName, String watermark, List<String> processors, List<ModelUse> models, List<SourceConsent> consents) {
    public RenderRecord {
        processors = List.copyOf(processors == null ? List.of() : processors);
        models = List.copyOf(models == null ? List.of() : models);
        consents = List.copyOf(consents == null ? List.of() : consents);
    }
}
