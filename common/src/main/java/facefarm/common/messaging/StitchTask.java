package facefarm.common.messaging;

import facefarm.common.jobs.VideoEncoding;
import java.util.List;
import java.util.Objects;

/**
 * Join a job's chunks, in order, into its output by stream copy (no decoding), muxing {@code audioKey}'s audio once;
 * write it to {@code outputKey} (attempt-scoped). With {@code exactAudio} (a job's new audio: a dub, a talking head)
 * the audio is made exactly {@code frames} / fps long; the target's own track is copied as it is when it covers the
 * video to within a frame. {@code jobEpoch} counts the job's retries.
 */
public record StitchTask(String jobId, String attemptId, int attemptNumber, List<Part> chunks, String audioKey, boolean exactAudio, String outputKey,
                         VideoEncoding encoding, long frames, int fpsNumerator, int fpsDenominator, int jobEpoch,
                         facefarm.common.provenance.RenderRecord credentials) {
    /** One chunk's output and the frames it must hold. */
    public record Part(String key, long frames) {
    }

    public StitchTask {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(outputKey, "outputKey");
        Objects.requireNonNull(encoding, "encoding");
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a stitch needs at least one chunk");
        }
        WorkRefs.requireIds(jobId, attemptId);
        WorkRefs.requireKeys(jobId, chunks.stream().map(Part::key).toList());
        WorkRefs.requireKeys(jobId, java.util.Arrays.asList(audioKey, outputKey));
    }
}
