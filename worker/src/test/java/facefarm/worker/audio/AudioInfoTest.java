package facefarm.worker.audio;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.SharedFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AudioInfoTest {
    @Test
    void lengthComesFromDecodedSamplesAndALimitStopsTheDecodeEarly() {
        Path voice = SharedFiles.media("audio_1.wav");
        AudioInfo whole = AudioInfo.probe(voice);
        assertTrue(whole.seconds() > 1, "the clip lasts " + whole.seconds() + " s");
        AudioInfo.TooLong tooLong = assertThrows(AudioInfo.TooLong.class, () -> AudioInfo.probe(voice, whole.seconds() / 2));
        assertTrue(tooLong.getMessage().startsWith("the audio lasts more than"), tooLong.getMessage());
        AudioInfo fits = AudioInfo.probe(voice, whole.seconds() + 1);
        assertTrue(fits.samples() == whole.samples(), "a limit above the length changes nothing");
    }
}
