package facefarm.common.messaging;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.jobs.VideoEncoding;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.provenance.FrameFinish;
import java.util.List;
import java.util.Objects;

/**
 * Work offer for one attempt at one chunk. The worker decodes {@code decoded} starting at {@code seek}, analyses and
 * tracks the faces of all of it (the context is what the job's face tracks and processors read around the owned
 * frames), processes the owned frames, and writes only those to {@code outputKey} (attempt-scoped). Faces
 * are analysed with the job's resolved {@code analysis} options; in reference mode {@code referenceEmbedding} is the
 * job's reference face (unit length), the same for every chunk. The processors run with the job's resolved
 * {@code processorOptions} on the faces of {@code sourceKeys}. Frames from {@code targetFrames} on (past the end of
 * the target; a still image has one) are its last frame held. A job with new audio has {@code audioKey}: lip sync hears
 * it by absolute frame index, so every chunk hears what a one-chunk render would. The owned frames are encoded once,
 * in the job's delivery {@code encoding}, starting on a keyframe, so the stitch can join chunks by stream copy.
 * {@code assignedWorker} is the worker the coordinator chose (another worker that receives it after a rebalance hands
 * it back); {@code jobEpoch} counts the job's retries, so the fence of an earlier run does not stop this one. The
 * attempt's own log lines go to {@code logKey} when it ends, and a small JPEG of its last frame to {@code previewKey}.
 * Every owned frame is finished as {@code finish} says (scaled to the farm's cap, labelled, watermarked) before it is encoded.
 */
public record ChunkOffer(
        String jobId,
        int chunkIndex,
        String attemptId,
        int attemptNumber,
        FrameRange owned,
        FrameRange decoded,
        Keyframe seek,
        long framesTotal,
        int fpsNumerator,
        int fpsDenominator,
        int width,
        int height,
        String targetKey,
        List<String> sourceKeys,
        List<String> processors,
        String outputKey,
        AnalysisOptions analysis,
        float[] referenceEmbedding,
        ProcessorOptions processorOptions,
        String audioKey,
        long targetFrames,
        VideoEncoding encoding,
        String assignedWorker,
        int jobEpoch,
        String logKey,
        String previewKey,
        FrameFinish finish) {

    /** An offer not aimed at a particular worker, of a job never retried. */
    public ChunkOffer(String jobId, int chunkIndex, String attemptId, int attemptNumber, FrameRange owned, FrameRange decoded, Keyframe seek,
                      long framesTotal, int fpsNumerator, int fpsDenominator, int width, int height, String targetKey, List<String> sourceKeys,
                      List<String> processors, String outputKey, AnalysisOptions analysis, float[] referenceEmbedding,
                      ProcessorOptions processorOptions, String audioKey, long targetFrames, VideoEncoding encoding) {
        this(jobId, chunkIndex, attemptId, attemptNumber, owned, decoded, seek, framesTotal, fpsNumerator, fpsDenominator, width, height, targetKey,
                sourceKeys, processors, outputKey, analysis, referenceEmbedding, processorOptions, audioKey, targetFrames, encoding, null, 0, null, null, FrameFinish.NONE);
    }

    /** An offer for a job without new audio, whose frames are all the target's. */
    public ChunkOffer(String jobId, int chunkIndex, String attemptId, int attemptNumber, FrameRange owned, FrameRange decoded, Keyframe seek,
                      long framesTotal, int fpsNumerator, int fpsDenominator, int width, int height, String targetKey, List<String> sourceKeys,
                      List<String> processors, String outputKey, AnalysisOptions analysis, float[] referenceEmbedding,
                      ProcessorOptions processorOptions) {
        this(jobId, chunkIndex, attemptId, attemptNumber, owned, decoded, seek, framesTotal, fpsNumerator, fpsDenominator, width, height, targetKey,
                sourceKeys, processors, outputKey, analysis, referenceEmbedding, processorOptions, null, framesTotal, new VideoEncoding("mkv", 0), null, 0, null, null, FrameFinish.NONE);
    }

    public ChunkOffer {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(owned, "owned");
        Objects.requireNonNull(decoded, "decoded");
        Objects.requireNonNull(targetKey, "targetKey");
        Objects.requireNonNull(outputKey, "outputKey");
        sourceKeys = List.copyOf(sourceKeys == null ? List.of() : sourceKeys);
        finish = finish == null ? FrameFinish.NONE : finish;
        WorkRefs.requireIds(jobId, attemptId);
        WorkRefs.requireKeys(jobId, sourceKeys);
        WorkRefs.requireKeys(jobId, java.util.Arrays.asList(targetKey, outputKey, audioKey, logKey, previewKey));
        processors = List.copyOf(processors == null ? List.of() : processors);
        if (processorOptions == null) {
            processorOptions = ProcessorOptions.DEFAULTS;
        }
        if (analysis == null) {
            analysis = AnalysisOptions.DEFAULTS;
        }
        if (analysis.referenceMode() && referenceEmbedding == null) {
            throw new IllegalArgumentException("reference face selection needs the job's reference embedding");
        }
        if (analysis.mapsFaces()) {
            for (facefarm.common.jobs.FaceMapping m : analysis.faceMap()) {
                if (m.referenceEmbedding() == null) {
                    throw new IllegalArgumentException("face map entry " + m.label() + " has no identity: ingest fills it in");
                }
                if (m.source() >= sourceKeys.size()) {
                    throw new IllegalArgumentException("face map entry " + m.label() + " names source " + m.source() + " of " + sourceKeys.size());
                }
            }
        }
        if (encoding == null) {
            encoding = new VideoEncoding("mkv", 0);
        }
        if (seek == null) {
            seek = Keyframe.FIRST;
        }
        if (targetFrames <= 0) {
            throw new IllegalArgumentException("the target must have at least one frame, got " + targetFrames);
        }
        if (jobEpoch < 0) {
            throw new IllegalArgumentException("jobEpoch must not be negative, got " + jobEpoch);
        }
        if (fpsNumerator <= 0 || fpsDenominator <= 0) {
            throw new IllegalArgumentException("frame rate must be positive, got " + fpsNumerator + "/" + fpsDenominator);
        }
    }
}
