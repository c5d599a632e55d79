package facefarm.worker.processors;

import java.util.List;

/** Statistics of per-frame measurements. */
final class Series {
    private Series() {
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double deviation(List<Double> values) {
        double mean = mean(values);
        return Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / values.size());
    }

    /** Pearson's correlation of two series of the same length. */
    static double correlation(List<Double> a, List<Double> b) {
        double ma = mean(a);
        double mb = mean(b);
        double cov = 0;
        for (int i = 0; i < a.size(); i++) {
            cov += (a.get(i) - ma) * (b.get(i) - mb);
        }
        return cov / a.size() / (deviation(a) * deviation(b));
    }

    /** The mean absolute change from one value to the next. */
    static double meanStep(List<Double> values) {
        double sum = 0;
        for (int i = 1; i < values.size(); i++) {
            sum += Math.abs(values.get(i) - values.get(i - 1));
        }
        return sum / Math.max(1, values.size() - 1);
    }
}
