package facefarm.common.jobs;

import java.util.List;
import java.util.Objects;

/** What a job reads: the target (video or still), the source faces, and new audio (null: keep the target's own). */
public record JobInputs(InputFile target, List<InputFile> sources, InputFile audio) {
    public JobInputs {
        Objects.requireNonNull(target, "target");
        sources = List.copyOf(sources == null ? List.of() : sources);
    }
}
