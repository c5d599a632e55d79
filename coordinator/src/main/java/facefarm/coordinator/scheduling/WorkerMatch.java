package facefarm.coordinator.scheduling;

import facefarm.coordinator.jobs.WorkerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which workers may take a job's chunks: in service (not drained, not quarantined), advertising every tag the job
 * requires, and not blocklisted for the job (fewer failures of it than the limit). A required tag "gpu" is met by a
 * worker's "gpu" or "gpu=anything"; "gpu=a100" only by "gpu=a100".
 */
public record WorkerMatch(List<String> requiredTags, Map<String, Integer> failures, int blocklistAfter) {
    /** Workers named in a reason before it says "and N more". */
    private static final int NAMED = 6;

    /** Why the worker cannot take the job's chunks, or null when it can. */
    public String refusal(WorkerStore.Worker worker) {
        if (worker.quarantined()) {
            return "quarantined";
        }
        if (worker.drained()) {
            return "drained";
        }
        List<String> missing = requiredTags.stream().filter(tag -> !hasTag(worker.tags(), tag)).toList();
        if (!missing.isEmpty()) {
            return "lacks " + String.join(", ", missing);
        }
        int failed = failures.getOrDefault(worker.id(), 0);
        return failed >= blocklistAfter ? "failed this job " + failed + " times" : null;
    }

    public boolean fits(WorkerStore.Worker worker) {
        return refusal(worker) == null;
    }

    /** Why no live worker can take the job's chunks ("" is never returned), or null when one can. */
    public String whyNone(List<WorkerStore.Worker> live) {
        if (live.isEmpty()) {
            return "no worker is live: start one (./farm worker, or scale a worker pool) and check that it reaches Kafka";
        }
        List<String> refusals = new ArrayList<>();
        for (WorkerStore.Worker worker : live) {
            String refusal = refusal(worker);
            if (refusal == null) {
                return null;
            }
            refusals.add(worker.id() + " " + refusal);
        }
        String named = String.join("; ", refusals.subList(0, Math.min(NAMED, refusals.size())))
                + (refusals.size() > NAMED ? "; and " + (refusals.size() - NAMED) + " more" : "");
        return "no live worker can take its chunks" + (requiredTags.isEmpty() ? "" : " (it requires " + String.join(", ", requiredTags) + ")") + ": "
                + named;
    }

    static boolean hasTag(List<String> tags, String required) {
        return required.contains("=") ? tags.contains(required) : tags.stream().anyMatch(t -> t.equals(required) || t.startsWith(required + "="));
    }
}
