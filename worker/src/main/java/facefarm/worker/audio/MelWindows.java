package facefarm.worker.audio;

/**
 * The 16 mel columns each video frame's lip sync hears, by absolute frame index: frame k at fps num/den starts at column
 * floor(k * 80 * den / num), worked out in 64-bit integers (FaceFusion's int16 index wraps after 32,767 columns, about
 * 409 s, and a studio's footage is longer). Near the end of the track the window stops at the last column, as
 * Wav2Lip's own inference does; frames after the track get silence. The values are FaceFusion's model input:
 * log10(max(1e-5, mel)) * 1.6 + 3.2, clipped to [-4, 4], band-major (1, 1, 80, 16).
 */
public final class MelWindows {
    public static final int COLUMNS = 16;
    /** Mel columns per second: the sample rate over the hop. */
    public static final int COLUMNS_PER_SECOND = AudioTrack.SAMPLE_RATE / MelSpectrogram.HOP;
    /** What silence reads as: log10(1e-5) * 1.6 + 3.2 = -4.8, clipped. */
    public static final float SILENCE = -4f;

    private final MelSpectrogram spectrogram;
    private final long samples;
    private final long fpsNumerator;
    private final long fpsDenominator;

    public MelWindows(MelSpectrogram spectrogram, long samples, int fpsNumerator, int fpsDenominator) {
        if (fpsNumerator <= 0 || fpsDenominator <= 0) {
            throw new IllegalArgumentException("frame rate must be positive, got " + fpsNumerator + "/" + fpsDenominator);
        }
        this.spectrogram = spectrogram;
        this.samples = samples;
        this.fpsNumerator = fpsNumerator;
        this.fpsDenominator = fpsDenominator;
    }

    public static MelWindows of(AudioTrack track, int fpsNumerator, int fpsDenominator) {
        return new MelWindows(MelSpectrogram.of(track), track.samples().length, fpsNumerator, fpsDenominator);
    }

    /** Whether frame {@code frame} starts before the track ends. */
    public boolean heard(long frame) {
        return frame >= 0 && Math.multiplyExact(frame, fpsDenominator * AudioTrack.SAMPLE_RATE) < samples * fpsNumerator;
    }

    /** Video frames the track lasts: those that start before it ends. */
    public long frames() {
        long perFrame = fpsDenominator * AudioTrack.SAMPLE_RATE;
        return (samples * fpsNumerator + perFrame - 1) / perFrame;
    }

    /** The first mel column of frame {@code frame}'s window; -1 for a frame after the track. */
    public long startColumn(long frame) {
        if (!heard(frame)) {
            return -1;
        }
        long start = Math.multiplyExact(frame, COLUMNS_PER_SECOND * fpsDenominator) / fpsNumerator;
        return Math.max(0, Math.min(start, spectrogram.columns() - COLUMNS));
    }

    /** Frame {@code frame}'s window as the model reads it: 80 bands x 16 columns. */
    public float[] window(long frame) {
        float[] out = new float[MelSpectrogram.BANDS * COLUMNS];
        long start = startColumn(frame);
        if (start < 0) {
            java.util.Arrays.fill(out, SILENCE);
            return out;
        }
        for (int band = 0; band < MelSpectrogram.BANDS; band++) {
            for (int c = 0; c < COLUMNS; c++) {
                long column = start + c;
                float mel = column < spectrogram.columns() ? spectrogram.value(band, (int) column) : 0;
                out[band * COLUMNS + c] = (float) Math.max(-4, Math.min(4, Math.log10(Math.max(1e-5, mel)) * 1.6 + 3.2));
            }
        }
        return out;
    }
}
