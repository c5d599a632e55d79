package facefarm.common.jobs;

import java.util.List;

/**
 * A job on inputs already in the farm's bucket (the JSON body of POST /api/v1/jobs): the target, the source faces
 * and new audio by object key, and the options.
 */
public record JobSubmission(InputFile target, List<InputFile> sources, InputFile audio, JobOptions options) {
    public JobSubmission {
        sources = List.copyOf(sources == null ? List.of() : sources);
    }
}
