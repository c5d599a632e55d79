package facefarm.common.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AudioFitTest {
    @Test
    void framesOfCountEveryFrameThatStartsBeforeTheAudioEnds() {
        assertEquals(200, AudioFit.framesOf(128_000, 16_000, 25, 1), "8.0 s at 25 fps");
        assertEquals(126, AudioFit.framesOf(221_184, 44_100, 25, 1), "audio_1.wav, 5.0155 s: frame 125 starts at 5.0 s, before it ends");
        assertEquals(125, AudioFit.framesOf(220_500, 44_100, 25, 1), "exactly 5.0 s");
        assertEquals(0, AudioFit.framesOf(0, 44_100, 25, 1));
        assertEquals(240, AudioFit.framesOf(160_160, 16_000, 24_000, 1001), "10.01 s at 23.976 fps");
        assertEquals(3L * 3600 * 30, AudioFit.framesOf(3L * 3600 * 48_000, 48_000, 30, 1), "three hours, no overflow");
    }

    @Test
    void eachRuleSaysWhichLengthWins() {
        assertEquals(125, AudioFit.PAD.outputFrames(125, 126));
        assertEquals(125, AudioFit.PAD.outputFrames(125, 80));
        assertEquals(80, AudioFit.TRIM.outputFrames(125, 80));
        assertEquals(125, AudioFit.TRIM.outputFrames(125, 126));
        assertEquals(126, AudioFit.EXTEND.outputFrames(125, 126));
        assertEquals(80, AudioFit.EXTEND.outputFrames(125, 80));
        assertEquals(200, AudioFit.EXTEND.outputFrames(1, 200), "a still image lasts as long as its audio");
    }

    @Test
    void namesAndFrameRates() {
        assertEquals(AudioFit.EXTEND, AudioFit.byName("extend"));
        assertThrows(IllegalArgumentException.class, () -> AudioFit.byName("stretch"));
        assertArrayEquals(new int[] {25, 1}, JobOptions.rational(25));
        assertArrayEquals(new int[] {2997, 100}, JobOptions.rational(29.97));
        assertEquals(2, new JobOptions(null, null, null, null, null, "stretch", 0.0).problems(java.util.List.of()).size());
    }
}
