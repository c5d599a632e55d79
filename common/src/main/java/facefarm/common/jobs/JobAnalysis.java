package facefarm.common.jobs;

import java.util.List;

/**
 * How a job analyses and processes faces, fixed at ingest: the resolved analysis options, the resolved processor
 * options, the models (and licences) both use, and the reference face's unit-length embedding (null unless the
 * selector mode is reference), computed once by the coordinator so every chunk selects the same person.
 */
public record JobAnalysis(AnalysisOptions options, List<ModelUse> models, float[] referenceEmbedding, ProcessorOptions processorOptions) {
    public JobAnalysis {
        models = List.copyOf(models == null ? List.of() : models);
        if (processorOptions == null) {
            processorOptions = ProcessorOptions.DEFAULTS;
        }
    }
}
