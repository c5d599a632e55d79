package facefarm.common.jobs;

import java.util.List;

/**
 * How a job analyses faces, fixed at ingest: the resolved options, the models (and licences) they use, and the
 * reference face's unit-length embedding (null unless the selector mode is reference), computed once by the
 * coordinator so every chunk selects the same person.
 */
public record JobAnalysis(AnalysisOptions options, List<ModelUse> models, float[] referenceEmbedding) {
    public JobAnalysis {
        models = List.copyOf(models == null ? List.of() : models);
    }
}
