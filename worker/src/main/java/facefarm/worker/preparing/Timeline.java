package facefarm.worker.preparing;

import facefarm.common.jobs.AudioFit;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.JobLimits;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.PreparedJob;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoInfo;
import java.nio.file.Path;

/** The output's frame count and rate: the target's, or reconciled with new audio by the job's rule. */
final class Timeline {
    private Timeline() {
    }

    /**
     * @param audio the job's new audio on this worker's disk, or null
     */
    static PreparedJob.Timeline of(String targetName, VideoInfo video, JobOptions options, Path audio, String audioName, JobLimits limits) {
        boolean still = video.frames() == 1;
        if (options.fps() != null && !still) {
            throw new CheckFailed(Failure.OPTIONS, 400, "fps sets the frame rate of a video made from a still image; target '" + targetName
                    + "' is a video (" + video.frameRate() + " fps): leave fps out");
        }
        int[] fps = still ? JobOptions.rational(options.fps() != null ? options.fps() : JobOptions.DEFAULT_STILL_FPS)
                : new int[] {video.fpsNumerator(), video.fpsDenominator()};
        if (audio == null) {
            return new PreparedJob.Timeline(video.frames(), video.frames(), fps[0], fps[1]);
        }
        AudioInfo sound;
        // audio longer than the farm's frame limit at this rate is refused as soon as that much has been decoded
        double maxSeconds = limits.maxFrames() * (double) fps[1] / fps[0];
        try {
            sound = AudioInfo.probe(audio, maxSeconds);
        } catch (AudioInfo.TooLong e) {
            throw new CheckFailed(Failure.OPTIONS, 413, "audio '" + audioName + "': " + e.getMessage() + ", which at " + fps[0] + "/" + fps[1]
                    + " fps is above the farm's limit of " + limits.maxFrames() + " frames (farm.limits.max-frames): trim it or split the job", e);
        } catch (MediaException e) {
            throw new CheckFailed(Failure.AUDIO, 400, "audio '" + audioName + "': " + e.getMessage(), e);
        }
        AudioFit fit = options.audioFit() != null ? AudioFit.byName(options.audioFit()) : still ? AudioFit.EXTEND : AudioFit.PAD;
        long audioFrames = AudioFit.framesOf(sound.samples(), sound.sampleRate(), fps[0], fps[1]);
        return new PreparedJob.Timeline(Math.max(1, fit.outputFrames(video.frames(), audioFrames)), video.frames(), fps[0], fps[1]);
    }
}
