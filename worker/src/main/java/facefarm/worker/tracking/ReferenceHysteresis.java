package facefarm.worker.tracking;

/**
 * Whether a track matches the reference face, with hysteresis: it starts matching when its identity distance falls
 * below the threshold by a margin, and stops only when the distance rises above it by the same margin, so a face near
 * the threshold keeps its state instead of flickering between swapped and not. Only a finite run of past distances is
 * read (the newest decisive one wins; when none is decisive, their mean against the threshold), so the decision at a
 * frame never depends on where a chunk started.
 */
public final class ReferenceHysteresis {
    /** Half the band around the threshold, as a share of the threshold. */
    public static final double MARGIN = 0.15;

    private ReferenceHysteresis() {
    }

    /**
     * @param distances the track's identity distances, newest first (NaN where a frame had none, e.g. a filled gap)
     * @param threshold the job's reference face distance
     */
    public static boolean matches(double[] distances, double threshold) {
        double low = threshold * (1 - MARGIN);
        double high = threshold * (1 + MARGIN);
        double sum = 0;
        int count = 0;
        for (double d : distances) {
            if (Double.isNaN(d)) {
                continue;
            }
            if (d < low) {
                return true;
            }
            if (d > high) {
                return false;
            }
            sum += d;
            count++;
        }
        return count > 0 && sum / count < threshold;
    }
}
