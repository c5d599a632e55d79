package facefarm.common.jobs;

/**
 * The farm's ceilings on one job's size, set by the operator (farm.limits.*) and enforced by the worker that prepares
 * the job, before any chunk is planned.
 *
 * @param maxFrames frames of the output (a still with long audio at a high rate counts here)
 * @param maxChunks chunks the plan may hold (each is a row, an offer and an object)
 */
public record JobLimits(long maxFrames, int maxChunks) {
    /** About 18 hours at 30 fps, in chunks of at least 100 frames. */
    public static final JobLimits DEFAULTS = new JobLimits(2_000_000, 20_000);

    /** Why a job of {@code frames} in chunks of {@code chunkFrames} exceeds these limits; null when it fits. */
    public String problem(long frames, int chunkFrames) {
        if (frames > maxFrames) {
            return "the job has " + frames + " frames, above the farm's limit of " + maxFrames
                    + " (farm.limits.max-frames): split the footage, or lower fps for a still image";
        }
        long chunks = (frames + chunkFrames - 1) / chunkFrames;
        if (chunks > maxChunks) {
            long least = (frames + maxChunks - 1) / maxChunks;
            return "chunks of " + chunkFrames + " frames make " + chunks + " chunks, above the farm's limit of " + maxChunks
                    + " (farm.limits.max-chunks): use chunkFrames of at least " + least;
        }
        return null;
    }
}
