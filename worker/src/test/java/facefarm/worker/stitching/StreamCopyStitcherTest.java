package facefarm.worker.stitching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.VideoEncoding;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.media.ChunkEncoder;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.TestVideos;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks of real footage encoded in the delivery codec and joined by stream copy: exactly N frames, in order, each
 * the frame its chunk holds (no frame re-encoded), for both output formats, with the audio cut to the video.
 */
class StreamCopyStitcherTest {
    private static final long[] CUTS = {0, 40, 41, 90, 125};

    @TempDir
    Path dir;

    @Test
    void h264ChunksJoinIntoAnMp4OfExactlyNFramesInOrder() throws Exception {
        joinAndCheck("mp4", VideoEncoding.of("mp4", null, 844, 844, 25, 1));
    }

    @Test
    void losslessChunksJoinIntoAnMkvEqualToTheSourceFrames() throws Exception {
        List<byte[]> joined = joinAndCheck("mkv", new VideoEncoding("mkv", 0));
        List<byte[]> source = frames(SharedFiles.media("face_2.mp4"));
        for (int i = 0; i < source.size(); i++) {
            assertArrayEquals(source.get(i), joined.get(i), "lossless frame " + i);
        }
    }

    @Test
    void newAudioThatIsTooShortIsEncodedOnceAndPaddedToTheVideo() throws Exception {
        List<StreamCopyStitcher.Part> parts = encodeChunks(new VideoEncoding("mp4", 2_000_000));
        Path wav = SharedFiles.media("espeak_en_hello_16k.wav");
        Path out = dir.resolve("dub.mp4");
        StreamCopyStitcher.Result result = StreamCopyStitcher.stitch(parts, wav.toString(), true, new StreamCopyStitcher.Output(out, "mp4", 125, 25, 1),
                dir);
        assertFalse(result.audioCopied(), "PCM does not go in an MP4, and the voice is shorter than the 5 s video");
        // AAC codes 1,024 samples a frame: FFmpeg decodes the last frame whole (64 ms at 16 kHz), which MP4 players trim by its edit list
        assertEquals(5.0, AudioInfo.probe(out).seconds(), 1024.0 / 16000, "padded with silence to the video's length");
    }

    @Test
    void aChunkWithTheWrongFrameCountFailsTheStitch() {
        List<StreamCopyStitcher.Part> parts = new ArrayList<>(encodeChunks(new VideoEncoding("mkv", 0)));
        parts.set(1, new StreamCopyStitcher.Part(parts.get(1).source(), parts.get(1).frames() + 1));
        MediaException e = assertThrows(MediaException.class, () -> StreamCopyStitcher.stitch(parts, null, false,
                new StreamCopyStitcher.Output(dir.resolve("bad.mkv"), "mkv", 126, 25, 1), dir));
        assertTrue(e.getMessage().contains("chunk 1 holds 1 frames, expected 2"), e.getMessage());
    }

    private List<byte[]> joinAndCheck(String format, VideoEncoding encoding) throws Exception {
        Path clip = SharedFiles.media("face_2.mp4");
        List<StreamCopyStitcher.Part> parts = encodeChunks(encoding);
        Path out = dir.resolve("joined." + format);
        StreamCopyStitcher.Result result = StreamCopyStitcher.stitch(parts, clip.toString(), false, new StreamCopyStitcher.Output(out, format, 125, 25, 1),
                dir);
        assertEquals(125, result.frames());
        assertEquals("mp4".equals(format), result.audioCopied(), "the clip's AAC goes into an MP4 as it is, into the lossless MKV as FLAC");
        VideoInfo info = VideoProbe.probe(out);
        assertEquals(125, info.frames());
        assertEquals("25/1", info.frameRate());
        assertEquals(5.0, AudioInfo.probe(out).seconds(), 0.04, "the audio is cut within a packet of the video's end");
        List<byte[]> joined = frames(out);
        List<byte[]> expected = new ArrayList<>();
        for (StreamCopyStitcher.Part part : parts) {
            expected.addAll(frames(Path.of(part.source())));
        }
        assertEquals(125, joined.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), joined.get(i), "frame " + i + " is its chunk's frame, in order");
        }
        long chunkBytes = 0;
        for (StreamCopyStitcher.Part part : parts) {
            chunkBytes += Files.size(Path.of(part.source()));
        }
        assertTrue(Files.size(out) < chunkBytes * 1.2 + 200_000, "the output is the chunks' bytes plus the audio, not a new encode");
        return joined;
    }

    /** face_2.mp4 cut into chunks of 40, 1, 49 and 35 frames, each encoded on its own. */
    private List<StreamCopyStitcher.Part> encodeChunks(VideoEncoding encoding) {
        Path clip = SharedFiles.media("face_2.mp4");
        List<StreamCopyStitcher.Part> parts = new ArrayList<>();
        for (int k = 0; k + 1 < CUTS.length; k++) {
            Path chunk = dir.resolve("chunk-" + encoding.format() + "-" + k + ".mkv");
            try (FrameReader reader = new FrameReader(clip, new FrameRange(CUTS[k], CUTS[k + 1]), Keyframe.FIRST);
                 ChunkEncoder writer = new ChunkEncoder(chunk, 844, 844, 25, 1, encoding)) {
                FrameReader.IndexedFrame frame;
                while ((frame = reader.next()) != null) {
                    writer.write(frame.image());
                    frame.image().close();
                }
                writer.finish();
            }
            parts.add(new StreamCopyStitcher.Part(chunk.toString(), CUTS[k + 1] - CUTS[k]));
        }
        return parts;
    }

    private static List<byte[]> frames(Path video) {
        return TestVideos.frames(video);
    }
}
