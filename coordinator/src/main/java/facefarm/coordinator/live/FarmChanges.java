package facefarm.coordinator.live;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed on the farm, pushed by the event consumer, the job actions and the heartbeats as it happens, so progress
 * streams and the dashboard follow the farm without polling the database per client. Another coordinator's changes
 * reach this one's streams through their periodic refresh.
 */
@ApplicationScoped
public class FarmChanges {
    /** One second's changes: the jobs that changed, and whether any worker did. */
    public record Batch(List<String> jobs, boolean workers) {
        public boolean isEmpty() {
            return jobs.isEmpty() && !workers;
        }
    }

    private record Change(String jobId, String workerId) {
    }

    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();

    public void job(String jobId) {
        changes.onNext(new Change(jobId, null));
    }

    public void worker(String workerId) {
        changes.onNext(new Change(null, workerId));
    }

    /** Changes to one job as they happen. */
    public Multi<String> job(java.util.function.Predicate<String> which) {
        return changes.filter(c -> c.jobId() != null && which.test(c.jobId())).map(Change::jobId);
    }

    /** Every change, gathered into batches of {@code every} (empty batches are dropped). */
    public Multi<Batch> batches(Duration every) {
        return changes.group().intoLists().every(every).map(list -> {
            Set<String> jobs = new TreeSet<>();
            boolean workers = false;
            for (Change change : list) {
                if (change.jobId() != null) {
                    jobs.add(change.jobId());
                } else {
                    workers = true;
                }
            }
            return new Batch(List.copyOf(jobs), workers);
        }).filter(batch -> !batch.isEmpty());
    }
}
