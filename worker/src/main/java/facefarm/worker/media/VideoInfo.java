package facefarm.worker.media;

import facefarm.common.planning.Keyframe;
import java.util.List;

/** What ingest learns by decoding a video once: exact frame count and rate, size, audio, keyframe index. */
public record VideoInfo(
        long frames,
        int fpsNumerator,
        int fpsDenominator,
        int width,
        int height,
        String videoCodec,
        boolean hasAudio,
        int audioSampleRate,
        int audioChannels,
        List<Keyframe> keyframes) {

    public VideoInfo {
        keyframes = List.copyOf(keyframes);
    }

    public double fps() {
        return (double) fpsNumerator / fpsDenominator;
    }

    public String frameRate() {
        return fpsNumerator + "/" + fpsDenominator;
    }

    public double durationSeconds() {
        return frames * (double) fpsDenominator / fpsNumerator;
    }
}
