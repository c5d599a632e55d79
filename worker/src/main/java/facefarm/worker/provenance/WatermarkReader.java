package facefarm.worker.provenance;

import facefarm.common.provenance.WatermarkPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads the watermark of {@link WatermarkEmbedder} from frames of any copy: re-encoded, scaled, at another frame rate
 * (each frame is read on its own) or cropped by up to {@link #MAX_CROP} of each side's length in all. The whole frame
 * is tried first; when no word checks out there, every framing of the search grid is tried on a few frames (the kept
 * fraction in steps of 1 %, the offset in steps of one LL sample, 2/384 of the frame) and the best whose word checks out
 * wins. Each block votes for its bit, the majority makes the word, and the CRC says whether it is a mark at all.
 */
public final class WatermarkReader {
    /** The largest crop searched for, as a fraction of the width or the height. */
    public static final double MAX_CROP = 0.07;
    /** Frames the framing search reads to rank the framings. */
    private static final int SEARCH_FRAMES = 3;
    /** The best-ranked framings read over all frames; each try costs a chance of 2^-32 of a false mark. */
    private static final int FINALISTS = 16;

    private final List<float[]> bands = new ArrayList<>();

    /** Adds a BGR frame of the copy to read. */
    public void add(Mat bgr) {
        bands.add(Luma.band(bgr));
    }

    public int frames() {
        return bands.size();
    }

    public WatermarkReading read() {
        if (bands.isEmpty()) {
            return WatermarkReading.none(0);
        }
        Votes whole = votes(Axis.of(1, 0), Axis.of(1, 0), bands);
        if (whole.payload().isPresent()) {
            return reading(whole.payload().getAsLong(), Framing.WHOLE);
        }
        // a few frames rank every framing; the best few are then read over all frames, where the word is surer
        List<float[]> sample = sample();
        List<Axis> axes = Axis.grid();
        List<Candidate> ranked = new ArrayList<>();
        for (Axis x : axes) {
            List<float[]> resampled = sample.stream().map(x::resampleColumns).toList();
            for (Axis y : axes) {
                ranked.add(new Candidate(x, y, votesResampled(x, y, resampled).agreement()));
            }
        }
        ranked.sort((a, b) -> Double.compare(b.agreement(), a.agreement()));
        Votes best = null;
        Candidate chosen = null;
        for (Candidate candidate : ranked.subList(0, Math.min(FINALISTS, ranked.size()))) {
            Votes votes = votes(candidate.x(), candidate.y(), bands);
            if (votes.payload().isPresent() && (best == null || votes.agreement() > best.agreement())) {
                best = votes;
                chosen = candidate;
            }
        }
        return best == null ? WatermarkReading.none(bands.size())
                : reading(best.payload().getAsLong(), new Framing(chosen.x().kept(), chosen.y().kept(), chosen.x().offset(), chosen.y().offset()));
    }

    private record Candidate(Axis x, Axis y, double agreement) {
    }

    private WatermarkReading reading(long payload, Framing framing) {
        boolean[] word = WatermarkCode.encode(payload);
        Axis x = Axis.of(framing.keptX(), framing.left());
        Axis y = Axis.of(framing.keptY(), framing.top());
        long errors = 0;
        for (float[] band : bands) {
            boolean[] frameWord = votes(x, y, List.of(band)).word();
            for (int i = 0; i < word.length; i++) {
                errors += frameWord[i] != word[i] ? 1 : 0;
            }
        }
        double rate = errors / (double) (bands.size() * word.length);
        return new WatermarkReading(Optional.of(WatermarkPayload.fromBits(payload)), rate, bands.size(), framing);
    }

    private List<float[]> sample() {
        if (bands.size() <= SEARCH_FRAMES) {
            return bands;
        }
        List<float[]> sample = new ArrayList<>();
        for (int i = 0; i < SEARCH_FRAMES; i++) {
            sample.add(bands.get(i * (bands.size() - 1) / (SEARCH_FRAMES - 1)));
        }
        return sample;
    }

    private static Votes votes(Axis x, Axis y, List<float[]> frames) {
        return votesResampled(x, y, frames.stream().map(x::resampleColumns).toList());
    }

    /** Each block of each frame, resampled along x already, votes for its bit. */
    private static Votes votesResampled(Axis x, Axis y, List<float[]> frames) {
        double[] score = new double[WatermarkCode.BITS];
        int[] count = new int[WatermarkCode.BITS];
        float[] block = new float[WatermarkGrid.BLOCK * WatermarkGrid.BLOCK];
        int size = WatermarkGrid.SIZE;
        for (float[] band : frames) {
            for (int row = 0; row < WatermarkGrid.BLOCKS; row++) {
                if (!y.covers(row)) {
                    continue;
                }
                for (int column = 0; column < WatermarkGrid.BLOCKS; column++) {
                    if (!x.covers(column)) {
                        continue;
                    }
                    float relation = 0;
                    int k = 0;
                    for (int i = 0; i < WatermarkGrid.BLOCK; i++) {
                        int sampleRow = row * WatermarkGrid.BLOCK + i;
                        int above = y.index[sampleRow] * size;
                        float weight = y.weight[sampleRow];
                        int below = weight == 0 ? above : above + size;
                        for (int j = 0; j < WatermarkGrid.BLOCK; j++) {
                            int at = column * WatermarkGrid.BLOCK + j;
                            float value = band[above + at] + weight * (band[below + at] - band[above + at]);
                            relation += value * WatermarkGrid.PAIR[k++];
                        }
                    }
                    // a soft vote: a block far past the margin counts no more than one just at it
                    int bit = WatermarkGrid.bitOf(row, column);
                    count[bit]++;
                    score[bit] += Math.max(-1, Math.min(1, relation / WatermarkEmbedder.MARGIN));
                }
            }
        }
        return Votes.of(score, count);
    }

    /**
     * The word the soft votes of a set of blocks make, how decided it is (the mean of each bit's |score| per vote, 1
     * when every block is past the margin the same way), and its payload if it checks out.
     */
    private record Votes(boolean[] word, double agreement, OptionalLong payload) {
        static Votes of(double[] score, int[] count) {
            boolean[] word = new boolean[score.length];
            double decided = 0;
            long total = 0;
            for (int i = 0; i < score.length; i++) {
                if (count[i] == 0) {
                    return new Votes(word, 0, OptionalLong.empty());
                }
                word[i] = score[i] > 0;
                decided += Math.abs(score[i]);
                total += count[i];
            }
            return new Votes(word, decided / total, WatermarkCode.decode(word));
        }
    }

    /**
     * One axis of a framing: the marked frame's LL sample i sits at {@code (i + 0.5 - offset) / kept - 0.5} of the
     * copy's band, read between samples {@code index[i]} and the next with {@code weight[i]} of the next.
     */
    private record Axis(double kept, int offset, int[] index, float[] weight, boolean[] valid) {
        static Axis of(double kept, int offset) {
            int size = WatermarkGrid.SIZE;
            int[] index = new int[size];
            float[] weight = new float[size];
            boolean[] valid = new boolean[size];
            for (int i = 0; i < size; i++) {
                double at = (i + 0.5 - offset) / kept - 0.5;
                valid[i] = at >= -0.5 && at <= size - 0.5;
                double clamped = Math.max(0, Math.min(size - 1, at));
                index[i] = (int) Math.min(size - 2, Math.floor(clamped));
                weight[i] = (float) (clamped - index[i]);
            }
            return new Axis(kept, offset, index, weight, valid);
        }

        /** Every kept fraction from 100 % down to 100 % - MAX_CROP in 1 % steps, at every offset it allows. */
        static List<Axis> grid() {
            List<Axis> axes = new ArrayList<>();
            for (int percent = 100; percent >= Math.round(100 * (1 - MAX_CROP)); percent--) {
                double kept = percent / 100.0;
                for (int offset = 0; offset <= (int) Math.floor((1 - kept) * WatermarkGrid.SIZE); offset++) {
                    axes.add(of(kept, offset));
                }
            }
            return axes;
        }

        boolean covers(int block) {
            return valid[block * WatermarkGrid.BLOCK] && valid[(block + 1) * WatermarkGrid.BLOCK - 1];
        }

        /** The band with each row resampled along this axis (as columns of the marked frame). */
        float[] resampleColumns(float[] band) {
            int size = WatermarkGrid.SIZE;
            float[] out = new float[band.length];
            for (int r = 0; r < size; r++) {
                int base = r * size;
                for (int i = 0; i < size; i++) {
                    float left = band[base + index[i]];
                    out[base + i] = left + weight[i] * (band[base + index[i] + 1] - left);
                }
            }
            return out;
        }
    }
}
