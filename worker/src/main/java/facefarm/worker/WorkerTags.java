package facefarm.worker;

import facefarm.common.jobs.Scheduling;
import facefarm.models.ModelSpec;
import facefarm.models.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tags a worker advertises in its heartbeat, which jobs may require: the operator's (FARM_WORKER_TAGS, comma
 * separated, e.g. "pool=studio-a,gpu=a100"), its execution provider ("provider=cuda") and every model it has installed
 * and may use ("model=inswapper_128").
 */
public final class WorkerTags {
    private WorkerTags() {
    }

    public static List<String> of(List<String> configured, String executionProvider, ModelStore models) {
        Set<String> tags = new LinkedHashSet<>(configured);
        tags.add("provider=" + executionProvider);
        for (ModelSpec model : models.manifest().all()) {
            if (models.installed(model.id())) {
                tags.add("model=" + model.id());
            }
        }
        return List.copyOf(tags);
    }

    /** FARM_WORKER_TAGS as a list; @throws IllegalArgumentException naming a tag that is not one */
    public static List<String> parse(String configured) {
        List<String> tags = new ArrayList<>();
        if (configured == null || configured.isBlank()) {
            return tags;
        }
        for (String tag : configured.split(",")) {
            String trimmed = tag.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!Scheduling.isTag(trimmed)) {
                throw new IllegalArgumentException("FARM_WORKER_TAGS has '" + trimmed + "': a tag is a word or key=value of letters, digits and "
                        + ". _ - : / (e.g. pool=studio-a,gpu=a100)");
            }
            tags.add(trimmed);
        }
        return tags;
    }
}
