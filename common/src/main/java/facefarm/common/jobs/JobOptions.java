package facefarm.common.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * What a studio chooses for a job (the JSON part of POST /api/v1/jobs). Null fields take the coordinator's defaults.
 * {@code outputFormat} is "mp4" (H.264 + AAC) or "mkv" (lossless FFV1 + FLAC); {@code analysis} chooses detector,
 * landmarker and face selection; {@code processorOptions} the processors' models, masks and weights. Without
 * {@code processors} the farm runs the best chain it has installed.
 */
public record JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions) {
    public static final List<String> OUTPUT_FORMATS = List.of("mp4", "mkv");

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat) {
        this(processors, chunkFrames, outputFormat, null, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis) {
        this(processors, chunkFrames, outputFormat, analysis, null);
    }

    /** Problems a studio can fix, in plain words; empty when the options are usable. */
    public List<String> problems(List<String> knownProcessors) {
        List<String> problems = new ArrayList<>();
        if (processors != null) {
            if (processors.isEmpty()) {
                problems.add("processors must name at least one processor (known: " + String.join(", ", knownProcessors) + ")");
            }
            for (String processor : processors) {
                if (!knownProcessors.contains(processor)) {
                    problems.add("unknown processor '" + processor + "' (known: " + String.join(", ", knownProcessors) + ")");
                }
            }
        }
        if (chunkFrames != null && chunkFrames < 1) {
            problems.add("chunkFrames must be at least 1, got " + chunkFrames);
        }
        if (outputFormat != null && !OUTPUT_FORMATS.contains(outputFormat)) {
            problems.add("outputFormat must be one of " + OUTPUT_FORMATS + ", got '" + outputFormat + "'");
        }
        return problems;
    }
}
