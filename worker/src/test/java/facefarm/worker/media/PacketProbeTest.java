package facefarm.worker.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.worker.SharedFiles;
import facefarm.worker.audio.AudioInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packet probe against the full decode, on real footage: the same frames, the same keyframes, far fewer decodes. */
class PacketProbeTest {
    @TempDir
    Path dir;

    @Test
    void packetCountsEqualDecodedCountsOnEveryClip() throws Exception {
        for (String clip : new String[] {"face_1.mp4", "face_2.mp4", "face_4.mp4", "WDA_KatieHill_000.mp4"}) {
            Path file = SharedFiles.media(clip);
            VideoInfo decoded = VideoProbe.probe(file);
            PacketProbe.Result packets = PacketProbe.probe(file.toString(), null);
            assertTrue(packets.countedFromPackets(), clip + " is an MP4: its packets are counted");
            assertEquals(decoded, packets.video(), clip + ": frames, rate, size, audio and keyframes (index and timestamp)");
            assertTrue(packets.bytesRead() >= Files.size(file) * 9 / 10, clip + ": one read of the file, " + packets.bytesRead() + " bytes");
        }
    }

    @Test
    void anAviWithPackedBFramesIsCountedByDecoding() {
        Path avi = SharedFiles.media("Megamind.avi");
        PacketProbe.Result result = PacketProbe.probe(avi.toString(), null);
        assertFalse(result.countedFromPackets(), "AVI packets carry no timestamps and may pack two frames");
        assertEquals(VideoProbe.probe(avi), result.video());
        assertEquals(270, result.video().frames());
    }

    @Test
    void aLosslessMatroskaChunkIsCountedFromItsPackets() {
        Path mkv = TestVideos.losslessCopy(SharedFiles.media("face_4.mp4"), dir.resolve("lossless.mkv"), 60);
        PacketProbe.Result result = PacketProbe.probe(mkv.toString(), null);
        assertTrue(result.countedFromPackets());
        assertEquals(VideoProbe.probe(mkv), result.video());
        assertEquals(60, result.video().keyframes().size(), "FFV1: every frame a keyframe");
    }

    @Test
    void theAudioTrackIsCopiedOutInTheSameRead() throws Exception {
        Path clip = SharedFiles.media("face_2.mp4");
        PacketProbe.Result result = PacketProbe.probe(clip.toString(), dir.resolve("track"));
        Path track = result.audioTrack();
        assertEquals(dir.resolve("track.m4a"), track, "AAC stays in an MP4 container, which keeps its encoder delay");
        AudioInfo copied = AudioInfo.probe(track);
        AudioInfo original = AudioInfo.probe(clip);
        assertEquals(original.sampleRate(), copied.sampleRate());
        assertEquals(original.seconds(), copied.seconds(), 0.001, "every audio packet, as it was");
        assertTrue(Files.size(track) < Files.size(clip) / 3, "the audio alone is a small file");
    }

    @Test
    void damagedAndForeignFilesAreRefusedWithAReason() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "a shopping list, not a video\n".repeat(40));
        MediaException notVideo = assertThrows(MediaException.class, () -> PacketProbe.probe(text.toString(), null));
        assertTrue(notVideo.getMessage().startsWith("the target is not a video FFmpeg can read"), notVideo.getMessage());
        byte[] whole = Files.readAllBytes(SharedFiles.media("face_2.mp4"));
        Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length / 4));
        assertThrows(MediaException.class, () -> PacketProbe.probe(truncated.toString(), null));
        Path image = SharedFiles.media("astronaut.png");
        PacketProbe.Result still = PacketProbe.probe(image.toString(), null);
        assertEquals(1, still.video().frames(), "a still image is a one-frame video");
    }
}
