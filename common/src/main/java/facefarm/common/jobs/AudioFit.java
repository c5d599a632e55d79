package facefarm.common.jobs;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a job with new audio (dubbing, talking heads) reconciles the video's length with the audio's. The output's
 * audio is always cut, or padded with silence, to exactly its frames' duration.
 * <ul>
 * <li>{@code pad}: every video frame is kept; audio that ends first is padded with silence, longer audio is cut
 * (FaceFusion's behaviour, the default for a video target).</li>
 * <li>{@code trim}: the output stops where the shorter of the two ends.</li>
 * <li>{@code extend}: the output lasts as long as the audio; when the video ends first its last frame is held (and
 * still lip-synced), when it is longer it is cut (the default, and the only sense, for a still-image target).</li>
 * </ul>
 */
public enum AudioFit {
    PAD, TRIM, EXTEND;

    public static final List<String> NAMES = Arrays.stream(values()).map(AudioFit::optionName).toList();

    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AudioFit byName(String name) {
        return Arrays.stream(values()).filter(f -> f.optionName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("audioFit must be one of " + NAMES + ", got '" + name + "'"));
    }

    /**
     * The output's frame count.
     *
     * @param videoFrames frames the target has (1 for a still image)
     * @param audioFrames video frames the audio lasts: those that start before it ends, {@link #framesOf}
     */
    public long outputFrames(long videoFrames, long audioFrames) {
        return switch (this) {
            case PAD -> videoFrames;
            case TRIM -> Math.min(videoFrames, audioFrames);
            case EXTEND -> audioFrames;
        };
    }

    /** Video frames at fps num/den that start before {@code samples} at {@code sampleRate} end: ceil(samples·num / (rate·den)). */
    public static long framesOf(long samples, int sampleRate, int fpsNumerator, int fpsDenominator) {
        long perFrame = (long) sampleRate * fpsDenominator;
        return Math.floorDiv(Math.multiplyExact(samples, (long) fpsNumerator) + perFrame - 1, perFrame);
    }
}
