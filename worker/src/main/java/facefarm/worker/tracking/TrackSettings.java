package facefarm.worker.tracking;

import facefarm.common.planning.Overlap;
import facefarm.worker.analysis.AnalysisSettings;

/**
 * How far in time a job's face tracks reach, all from one number, the smoothing window N (frames on each side):
 * points are smoothed over N frames each side, detection gaps of up to N frames are filled, and a reference match is
 * held over the last 2N frames. Every quantity is read from a finite window, so a chunk that decodes
 * {@link #overlap()} frames around what it owns computes exactly what a one-pass render computes.
 *
 * @param window the smoothing window N; 0 turns all of it off (FaceFusion's frame-by-frame behaviour)
 */
public record TrackSettings(int window) {
    public static final TrackSettings OFF = new TrackSettings(0);

    public TrackSettings {
        String problem = AnalysisSettings.smoothingWindowProblem(window);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A job's resolved window; null (an older coordinator's offer) takes the default. */
    public static TrackSettings of(Integer window) {
        return new TrackSettings(window == null ? AnalysisSettings.DEFAULT_SMOOTHING_WINDOW : window);
    }

    public boolean on() {
        return window > 0;
    }

    /** Frames each side a smoothed point averages. */
    public int radius() {
        return window;
    }

    /** The longest run of frames without a detection that a track bridges. */
    public int maxGap() {
        return window;
    }

    /** Past frames whose identity distances decide a reference match. */
    public int hysteresisFrames() {
        return 2 * window;
    }

    /** How far apart two linked detections of a track may be: across the longest gap. */
    public int linkReach() {
        return maxGap() + 1;
    }

    /**
     * The frames the tracks read around a frame: smoothing and hysteresis reach {@code max(radius, hysteresis)} back
     * and {@code radius} ahead along a track, and deciding the links at the ends of that stretch reads one link reach
     * further. None when off: every frame then stands alone.
     */
    public Overlap overlap() {
        if (!on()) {
            return Overlap.NONE;
        }
        return new Overlap(Math.max(radius(), hysteresisFrames()) + linkReach(), radius() + linkReach());
    }
}
