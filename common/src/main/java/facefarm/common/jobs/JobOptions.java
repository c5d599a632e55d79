package facefarm.common.jobs;

import facefarm.common.provenance.VisibleLabel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a studio chooses for a job (the JSON part of POST /api/v1/jobs). Null fields take the coordinator's defaults.
 * {@code outputFormat} is "mp4" (H.264 + AAC) or "mkv" (lossless FFV1 + FLAC); {@code analysis} chooses detector,
 * landmarker and face selection; {@code processorOptions} the processors' models, masks and weights. Without
 * {@code processors} the farm runs the best chain it has installed. With an audio part, {@code audioFit} says how the
 * lengths are reconciled ({@link AudioFit}); {@code fps} is the frame rate of a video made from a still image;
 * {@code videoBitrate} the H.264 bitrate of mp4 output (bits/s; default: a master's quality, see {@link VideoEncoding});
 * {@code scheduling} its priority and the worker tags it needs ({@link Scheduling}); {@code webhookUrl} where the job's
 * end is posted (besides the farm-wide webhook), on a host the operator allows; {@code label} a visible label on every
 * output frame ({@link VisibleLabel}; the farm's policy may add one when it is left out).
 */
public record JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions,
                         String audioFit, Double fps, Long videoBitrate, Scheduling scheduling, String webhookUrl, VisibleLabel label) {
    /** Longest webhook URL a job may name. */
    public static final int MAX_WEBHOOK_URL = 2000;

    public static final List<String> OUTPUT_FORMATS = List.of("mp4", "mkv");
    public static final double MAX_FPS = 240;
    /** Slowest still-image video: the rate is kept to the thousandth, and a frame every ten seconds is already a slideshow. */
    public static final double MIN_FPS = 0.1;
    public static final double DEFAULT_STILL_FPS = 25;

    public JobOptions {
        if (scheduling == null) {
            scheduling = Scheduling.DEFAULTS;
        }
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions,
                      String audioFit, Double fps, Long videoBitrate) {
        this(processors, chunkFrames, outputFormat, analysis, processorOptions, audioFit, fps, videoBitrate, null, null, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions,
                      String audioFit, Double fps, Long videoBitrate, Scheduling scheduling, String webhookUrl) {
        this(processors, chunkFrames, outputFormat, analysis, processorOptions, audioFit, fps, videoBitrate, scheduling, webhookUrl, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat) {
        this(processors, chunkFrames, outputFormat, null, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis) {
        this(processors, chunkFrames, outputFormat, analysis, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions) {
        this(processors, chunkFrames, outputFormat, analysis, processorOptions, null, null);
    }

    public JobOptions(List<String> processors, Integer chunkFrames, String outputFormat, AnalysisOptions analysis, ProcessorOptions processorOptions,
                      String audioFit, Double fps) {
        this(processors, chunkFrames, outputFormat, analysis, processorOptions, audioFit, fps, null);
    }

    /** These options with the chunk size and the chain filled in where the studio left them out. */
    public JobOptions withDefaults(int defaultChunkFrames, List<String> defaultProcessors) {
        return new JobOptions(processors != null ? processors : defaultProcessors, chunkFrames != null ? chunkFrames : defaultChunkFrames,
                outputFormat != null ? outputFormat : "mp4", analysis, processorOptions, audioFit, fps, videoBitrate, scheduling, webhookUrl, label);
    }

    /** These options with another priority and required tags. */
    public JobOptions with(Scheduling scheduling) {
        return new JobOptions(processors, chunkFrames, outputFormat, analysis, processorOptions, audioFit, fps, videoBitrate, scheduling, webhookUrl, label);
    }

    /** These options with other analysis options. */
    public JobOptions withAnalysis(AnalysisOptions options) {
        return new JobOptions(processors, chunkFrames, outputFormat, options, processorOptions, audioFit, fps, videoBitrate, scheduling, webhookUrl, label);
    }

    /** These options with the job's own webhook. */
    public JobOptions withWebhook(String url) {
        return new JobOptions(processors, chunkFrames, outputFormat, analysis, processorOptions, audioFit, fps, videoBitrate, scheduling, url, label);
    }

    /** The reference photos the face map names (uploads the job reads), in its order; empty without a face map. */
    public List<InputFile> referencePhotos() {
        if (analysis == null || !analysis.mapsFaces()) {
            return List.of();
        }
        return analysis.faceMap().stream().map(FaceMapping::referenceImage).filter(java.util.Objects::nonNull).toList();
    }

    /** The webhook's host, or null when the URL is not an absolute http(s) URL with one. */
    public static String webhookHost(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return web && uri.getHost() != null && uri.getUserInfo() == null ? uri.getHost().toLowerCase(java.util.Locale.ROOT) : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Problems a studio can fix, in plain words; empty when the options are usable. */
    public List<String> problems(List<String> knownProcessors) {
        List<String> problems = new ArrayList<>();
        if (processors != null) {
            if (processors.isEmpty()) {
                problems.add("processors must name at least one processor (known: " + String.join(", ", knownProcessors) + ")");
            }
            for (String processor : processors) {
                if (processor == null) {
                    problems.add("processors has an empty entry (null): name each processor (known: " + String.join(", ", knownProcessors) + ")");
                } else if (!knownProcessors.contains(processor)) {
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
        if (audioFit != null && !AudioFit.NAMES.contains(audioFit)) {
            problems.add("audioFit must be one of " + AudioFit.NAMES + ", got '" + audioFit + "'");
        }
        if (videoBitrate != null && (videoBitrate < VideoEncoding.MIN_BITRATE || videoBitrate > VideoEncoding.MAX_BITRATE)) {
            problems.add("videoBitrate must be from " + VideoEncoding.MIN_BITRATE + " to " + VideoEncoding.MAX_BITRATE + " bits/s, got " + videoBitrate);
        }
        if (videoBitrate != null && "mkv".equals(outputFormat)) {
            problems.add("videoBitrate applies to mp4 (H.264) output; mkv output is lossless FFV1: leave videoBitrate out");
        }
        problems.addAll(scheduling.problems());
        if (webhookUrl != null && (webhookUrl.length() > MAX_WEBHOOK_URL || webhookHost(webhookUrl) == null)) {
            problems.add("webhookUrl must be an http or https URL with a host and no user info, at most " + MAX_WEBHOOK_URL + " characters");
        }
        problems.addAll(OptionRules.problems(analysis));
        problems.addAll(OptionRules.problems(processorOptions));
        if (label != null) {
            problems.addAll(label.problems());
        }
        if (fps != null && !(fps >= MIN_FPS && fps <= MAX_FPS)) {
            problems.add("fps must be from " + MIN_FPS + " to " + (int) MAX_FPS + ", got " + fps);
        }
        return problems;
    }

    /** {@code fps} as a reduced fraction, to the thousandth (25 -> 25/1, 29.97 -> 2997/100). */
    public static int[] rational(double fps) {
        long num = Math.round(fps * 1000);
        long den = 1000;
        long gcd = java.math.BigInteger.valueOf(num).gcd(java.math.BigInteger.valueOf(den)).longValue();
        return new int[] {(int) (num / gcd), (int) (den / gcd)};
    }
}
