package facefarm.common.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What GET /api/v1/jobs/{id} and the progress stream return. {@code failure} says which check failed and whether the
 * studio can fix it; {@code sizes} what the job moved.
 */
public record JobStatus(
        String id,
        JobState state,
        long framesTotal,
        long framesDone,
        String frameRate,
        int width,
        int height,
        boolean hasAudio,
        int chunksTotal,
        Map<ChunkState, Integer> chunks,
        double framesPerSecond,
        Double etaSeconds,
        StageTimings timings,
        List<String> processors,
        AnalysisOptions analysis,
        ProcessorOptions processorOptions,
        List<ModelUse> models,
        String error,
        Failure failure,
        Sizes sizes,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        Placement placement,
        Provenance provenance) {

    /**
     * How the job's output says it is generated: the payload its watermark carries (16 hex digits; null when this farm
     * marks nothing), the visible label on its frames (null: none), the tallest output the farm delivers for it (lines;
     * 0: no cap) and the consent on record for each source face.
     */
    public record Provenance(String watermark, facefarm.common.provenance.VisibleLabel label, int maxHeight,
                             List<facefarm.common.provenance.SourceConsent> consents) {
    }

    /**
     * Who submitted the job, its priority and required worker tags, why it waits when no live worker can take its
     * chunks ({@code waitingFor}, null otherwise), the workers it no longer goes to after they failed it, and how often
     * it was retried.
     */
    public record Placement(String submittedBy, int priority, List<String> requiredTags, String waitingFor, List<String> blocklistedWorkers, int retries) {
    }

    /**
     * Bytes the job moved: what its chunks read of the target (byte ranges, not whole copies), the chunks it encoded
     * (the only intermediates), and the delivered output.
     */
    public record Sizes(long targetRead, long intermediates, long output) {
    }
}
