package facefarm.worker.analysis;

/** Order statistics of 8-bit readings counted into histograms (one bin per value). */
public final class Histograms {
    private Histograms() {
    }

    /** The value of rank {@code rank} (0-based) among the histogram's counts; the last bin when the rank is past them. */
    public static int quantile(int[] histogram, long rank) {
        long seen = 0;
        for (int v = 0; v < histogram.length; v++) {
            seen += histogram[v];
            if (seen > rank) {
                return v;
            }
        }
        return histogram.length - 1;
    }

    /** The median of {@code count} readings. */
    public static int median(int[] histogram, long count) {
        return quantile(histogram, count / 2);
    }
}
