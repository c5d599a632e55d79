package facefarm.worker.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import facefarm.worker.SharedFiles;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lip syncer's audio path against values numpy and scipy computed from the same file by another route (the wav read
 * by scipy, not FFmpeg; scipy's STFT, not OpenCV's DFT): src/test/resources/audio/make_mel_fixture.py made
 * espeak_hello_mel.json. Tolerances: 1e-3 on the model's input values (in [-4, 4]), 1e-4 relative on column sums.
 */
class MelSpectrogramTest {

    private static JsonNode fixture() throws Exception {
        try (InputStream in = MelSpectrogramTest.class.getResourceAsStream("/audio/espeak_hello_mel.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void theSpectrogramOfTheEspeakClipMatchesNumpyAndScipy() throws Exception {
        JsonNode expected = fixture();
        AudioTrack track = AudioTrack.read(SharedFiles.media("espeak_en_hello_16k.wav"));
        assertEquals(expected.path("samples").asInt(), track.samples().length, "every sample decoded, none added");
        MelSpectrogram mel = MelSpectrogram.of(track);
        assertEquals(expected.path("columns").asInt(), mel.columns());
        JsonNode sums = expected.path("columnSums");
        for (int c = 0; c < mel.columns(); c++) {
            double sum = 0;
            for (int band = 0; band < MelSpectrogram.BANDS; band++) {
                sum += mel.value(band, c);
            }
            double want = sums.get(c).asDouble();
            assertEquals(want, sum, 1e-4 * Math.max(want, 1) + 2e-6, "mel column " + c);
        }
        MelWindows windows = MelWindows.of(track, expected.path("fps").asInt(), 1);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("windows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            float[] window = windows.window(Long.parseLong(entry.getKey()));
            assertEquals(MelSpectrogram.BANDS * MelWindows.COLUMNS, window.length);
            for (int i = 0; i < window.length; i++) {
                assertEquals(entry.getValue().get(i).asDouble(), window[i], 1e-3, "frame " + entry.getKey() + ", band " + i / 16 + ", column " + i % 16);
            }
        }
    }

    @Test
    void aStereoTrackAt44100IsDecodedTo16kHzMonoOfTheSameLength() {
        AudioTrack track = AudioTrack.read(SharedFiles.media("audio_1.wav"));
        assertEquals(221_184 / 44_100.0, track.seconds(), 0.002, "audio_1.wav lasts 5.016 s");
        float peak = 0;
        for (float v : track.samples()) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(1f, peak, "peak-normalised");
    }

    @Test
    void theFilterBankIsFaceFusionsTouchingTriangles() {
        int[] edges = MelSpectrogram.bandEdges();
        double[][] bank = MelSpectrogram.filterBank(edges);
        assertEquals(2, edges[0], "55 Hz is in bin 2 of 401");
        assertEquals(380, edges[81], "7600 Hz is bin 380");
        for (int band = 0; band < MelSpectrogram.BANDS; band++) {
            for (int bin = 0; bin < MelSpectrogram.BINS; bin++) {
                boolean inside = bin >= edges[band] && bin < edges[band + 1];
                assertEquals(inside, bank[band][bin] > 0, "band " + band + ", bin " + bin);
            }
        }
        assertEquals(java.util.List.of(1.0), java.util.Arrays.stream(MelSpectrogram.triangle(1)).boxed().toList());
        assertEquals(java.util.List.of(0.25, 0.75, 0.75, 0.25), java.util.Arrays.stream(MelSpectrogram.triangle(4)).boxed().toList());
        assertEquals(java.util.List.of(0.5, 1.0, 0.5), java.util.Arrays.stream(MelSpectrogram.triangle(3)).boxed().toList());
    }

    @Test
    void aTenMinuteTrackGivesEveryFrameItsOwnWindow() {
        // a tone that steps to another pitch every second: each frame's window must hear the pitch of its own second
        int seconds = 600;
        float[] samples = new float[seconds * AudioTrack.SAMPLE_RATE];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) Math.sin(2 * Math.PI * pitch(i / AudioTrack.SAMPLE_RATE) * i / AudioTrack.SAMPLE_RATE);
        }
        AudioTrack track = AudioTrack.normalised(samples);
        MelWindows windows = MelWindows.of(track, 25, 1);
        assertEquals(15_000, windows.frames());
        int[] edges = MelSpectrogram.bandEdges();
        int checked = 0;
        for (long frame = 0; frame < windows.frames(); frame++) {
            assertTrue(windows.heard(frame));
            long start = windows.startColumn(frame);
            assertEquals(Math.min(frame * 16 / 5, 48_001 - 16), start, "frame " + frame + " starts at its own column, past int16's 32,767 too");
            int second = (int) (frame / 25);
            if (frame % 25 > 19) {
                continue;
            }
            float[] window = windows.window(frame);
            int loudest = 0;
            for (int band = 1; band < MelSpectrogram.BANDS; band++) {
                if (window[band * 16 + 8] > window[loudest * 16 + 8]) {
                    loudest = band;
                }
            }
            int bin = (int) Math.round(pitch(second) * MelSpectrogram.FFT / AudioTrack.SAMPLE_RATE);
            assertTrue(bin >= edges[loudest] - 1 && bin <= edges[loudest + 1], "frame " + frame + " hears " + pitch(second) + " Hz in band " + loudest);
            checked++;
        }
        assertEquals(600 * 20, checked);
        assertTrue(!windows.heard(15_000), "the frame after the track");
        for (float v : windows.window(15_000)) {
            assertEquals(MelWindows.SILENCE, v);
        }
    }

    private static double pitch(int second) {
        return 300 + 97 * (second % 37);
    }
}
