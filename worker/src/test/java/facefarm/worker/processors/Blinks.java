package facefarm.worker.processors;

import java.util.List;

/**
 * Blink frames: where the eyes' aspect ratio falls below 70 % of the clip's median (a blink roughly halves it). A
 * target's blink is kept when the output's ratio on that frame is also below 70 % of the output's own median.
 */
record Blinks(int targetBlinks, int keptBlinks, int addedBlinks) {
    private static final double CLOSED = 0.7;

    static Blinks of(List<Double> target, List<Double> output) {
        double targetMedian = median(target);
        double outputMedian = median(output);
        int blinks = 0;
        int kept = 0;
        int added = 0;
        for (int i = 0; i < target.size(); i++) {
            boolean targetClosed = target.get(i) < CLOSED * targetMedian;
            boolean outputClosed = output.get(i) < CLOSED * outputMedian;
            if (targetClosed) {
                blinks++;
                kept += outputClosed ? 1 : 0;
            } else if (outputClosed) {
                added++;
            }
        }
        return new Blinks(blinks, kept, added);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().skip(values.size() / 2).findFirst().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return keptBlinks + " of " + targetBlinks + " blink frames closed, " + addedBlinks + " closed elsewhere";
    }
}
