package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.SharedFiles;
import facefarm.worker.inference.OnnxGraph;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dubbing and talking heads through ./farm on the real stack. No Wav2Lip weights exist here, so the lip syncer is a
 * graph of Wav2Lip's names, shapes and types built below: it paints the mouth box as bright as the frame's mel window
 * is loud (sigmoid of its mean), so what each frame hears shows in its pixels.
 */
class LipSyncEndToEndTest {
    @TempDir
    static Path models;
    @TempDir
    Path dir;

    @BeforeAll
    static void loudnessWav2Lip() {
        new OnnxGraph().input("source", OnnxGraph.FLOAT, 1, 1, 80, 16).input("target", OnnxGraph.FLOAT, 1, 6, 96, 96)
                .output("output", OnnxGraph.FLOAT, 1, 3, 96, 96)
                .node("ReduceMean", List.of("source"), List.of("loudness")).node("Sigmoid", List.of("loudness"), List.of("grey"))
                .initializer("ones", ones(3 * 96 * 96), 1, 3, 96, 96).node("Mul", List.of("grey", "ones"), List.of("output"))
                .write(models.resolve("wav2lip_gan_96.onnx"));
    }

    private static float[] ones(int n) {
        float[] values = new float[n];
        Arrays.fill(values, 1);
        return values;
    }

    private FarmCommand.Run farm(String... args) throws Exception {
        return FarmCommand.run(dir, models + ":" + SharedFiles.modelsDir(), Videos.UNMARKED, args);
    }

    @Test
    void dubbingDeliversTheNewAudioWholeAndLipSyncsEveryFrameTheSameInChunksAsInOne() throws Exception {
        Path target = SharedFiles.media("face_2.mp4");
        Path voice = SharedFiles.media("audio_1.wav");
        Path chunked = dir.resolve("dubbed.mkv");
        FarmCommand.Run run = farm("render", "--target", target.toString(), "--audio", voice.toString(), "--audio-fit", "extend",
                "--output", chunked.toString(), "--chunk-frames", "16", "--workers", "2", "--accept-license", "wav2lip_gan_96");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("processors lip_syncer,"), "audio without a source face: lip sync alone: " + run.stderr());
        assertTrue(run.stderr().contains("face_landmark_468 (Apache-2.0),wav2lip_gan_96 (Non-Commercial)"),
                "no 68-point landmarker here: the mouth's 68 points come from FaceMesh: " + run.stderr());
        // audio_1.wav is 221,184 samples at 44.1 kHz (5.0155 s): extend holds the 125-frame target's last frame for frame 125
        assertTrue(run.stdout().startsWith("done: 126 frames"), run.stdout());
        assertTrue(run.stderr().contains("8 chunk(s)"), run.stderr());

        Videos.Sound original = Videos.sound(voice);
        Videos.Sound delivered = Videos.sound(chunked);
        assertEquals(original.sampleRate(), delivered.sampleRate());
        assertEquals(original.channels(), delivered.channels());
        assertEquals(Math.round(126 / 25.0 * 44_100) * 2, delivered.samples().length, "the audio lasts exactly the 126 frames");
        for (int i = 0; i < original.samples().length; i++) {
            assertEquals(original.samples()[i], delivered.samples()[i], 1.0 / 32768, "sample " + i + " of the new audio (lossless FLAC)");
        }
        for (int i = original.samples().length; i < delivered.samples().length; i++) {
            assertEquals(0f, delivered.samples()[i], "after the new audio ends, silence");
        }

        List<byte[]> input = Videos.frames(target);
        List<byte[]> dubbed = Videos.frames(chunked);
        VideoInfo info = VideoProbe.probe(chunked);
        assertEquals(126, dubbed.size());
        int upper = info.width() * 3 * (info.height() / 4);
        int mouthsRedrawn = 0;
        for (int i = 0; i < dubbed.size(); i++) {
            byte[] source = input.get(Math.min(i, input.size() - 1));
            assertArrayEquals(Arrays.copyOf(source, upper), Arrays.copyOf(dubbed.get(i), upper), "frame " + i + ": the top of the frame is the target's");
            mouthsRedrawn += Arrays.equals(source, dubbed.get(i)) ? 0 : 1;
        }
        assertTrue(mouthsRedrawn > 120, "lip sync redrew the mouth in " + mouthsRedrawn + " of 126 frames");

        Path single = dir.resolve("single.mkv");
        FarmCommand.Run one = farm("render", "--target", target.toString(), "--audio", voice.toString(), "--audio-fit", "extend",
                "--output", single.toString(), "--chunk-frames", "100000", "--workers", "1", "--accept-license", "wav2lip_gan_96");
        assertEquals(0, one.exit(), one.stderr());
        List<byte[]> whole = Videos.frames(single);
        assertEquals(dubbed.size(), whole.size());
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), dubbed.get(i), "frame " + i + " hears the same window in 8 chunks as in one");
        }
    }

    @Test
    void aTalkingHeadFromOnePortraitLastsAsLongAsItsAudioInSeveralChunks() throws Exception {
        Path output = dir.resolve("talking.mp4");
        FarmCommand.Run run = farm("render", "--target", SharedFiles.media("astronaut.png").toString(), "--audio",
                SharedFiles.media("RD_Radio31_000.wav").toString(), "--fps", "25", "--output", output.toString(), "--chunk-frames", "50",
                "--workers", "2", "--accept-license", "wav2lip_gan_96");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("200 frames at 25/1 fps, 4 chunk(s)"), run.stderr());
        VideoInfo video = VideoProbe.probe(output);
        assertEquals(200, video.frames());
        assertEquals("25/1", video.frameRate());
        assertEquals(8.0, video.frames() / video.fps(), 1e-9);
        assertEquals(8.0, Videos.audioSeconds(output), 0.03, "AAC audio of 8.0 s, within its frame of 1024 samples");
        List<byte[]> frames = Videos.frames(output);
        long distinct = frames.stream().map(Arrays::hashCode).distinct().count();
        assertTrue(distinct > 20, "the still portrait's mouth moves with the voice: " + distinct + " distinct frames of 200");
    }
}
