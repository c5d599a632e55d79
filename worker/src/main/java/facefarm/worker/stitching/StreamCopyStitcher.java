package facefarm.worker.stitching;

import facefarm.worker.media.AudioPriming;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.PacketInput;
import facefarm.worker.media.PacketOutput;
import facefarm.worker.media.SeekableSink;
import facefarm.worker.media.Sources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Joins chunks into the delivered video without decoding a frame: every chunk's packets in order, their timestamps
 * rewritten to the output's frame numbers, and the audio muxed once beside them. Chunks are encoded in the delivery
 * codec and start on a keyframe, so the joined stream decodes like one encode. In an MP4 the audio is copied as it is
 * where MP4 takes its codec and it covers the video to within a frame (cut where the video ends, its encoder delay
 * kept in the edit list); otherwise, when it must be exact (a job's new audio), and always in the lossless MKV (FLAC:
 * Matroska has no edit list to keep an AAC's encoder delay), it is encoded once to exactly the output's length
 * ({@link AudioConformer}).
 */
public final class StreamCopyStitcher {
    private StreamCopyStitcher() {
    }

    /** One chunk: where to read it (a file or a presigned URL) and the frames it must hold. */
    public record Part(String source, long frames) {
    }

    /** Where the output goes (a local file, or a sink such as an S3 upload), its container ("mp4" or "mkv"), frames and rate. */
    public record Output(Path file, SeekableSink sink, String format, long frames, int fpsNumerator, int fpsDenominator) {
        public Output(Path file, String format, long frames, int fpsNumerator, int fpsDenominator) {
            this(file, null, format, frames, fpsNumerator, fpsDenominator);
        }

        double seconds() {
            return frames * (double) fpsDenominator / fpsNumerator;
        }

        PacketOutput open() {
            String muxer = "mkv".equals(format) ? "matroska" : "mp4";
            return sink == null ? new PacketOutput(file, muxer) : new PacketOutput(sink, muxer, "the " + format + " output");
        }
    }

    /** What the stitch wrote, the bytes of the chunks it read, and whether it copied the audio or encoded it. */
    public record Result(long frames, long chunkBytes, boolean audioCopied) {
    }

    /**
     * @param audio the file or URL whose audio goes in (the target's audio track, or the job's new audio); null: silent
     * @param scratch a folder for the encoded audio, when it must be encoded
     */
    public static Result stitch(List<Part> parts, String audio, boolean exactAudio, Output output, Path scratch) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a stitch needs at least one chunk");
        }
        String audioSource = audio;
        boolean copied = true;
        if (audio != null && (exactAudio || "mkv".equals(output.format()) || !copyable(audio, output))) {
            Path conformed = AudioConformer.conform(audio, scratch.resolve("mkv".equals(output.format()) ? "audio.mka" : "audio.m4a"), output.format(),
                    output.frames(), output.fpsNumerator(), output.fpsDenominator());
            audioSource = conformed == null ? null : conformed.toString();
            copied = false;
        }
        AVRational frameTime = avutil.av_make_q(output.fpsDenominator(), output.fpsNumerator());
        long written = 0;
        long chunkBytes = 0;
        try (PacketOutput out = output.open();
             AudioFeed sound = audioSource == null ? null : new AudioFeed(audioSource, output.seconds())) {
            int videoStream;
            CodecCheck reference;
            try (PacketInput first = new PacketInput(parts.get(0).source())) {
                int stream = first.bestStream(avutil.AVMEDIA_TYPE_VIDEO);
                if (stream < 0) {
                    throw new MediaException("chunk 0 (" + Sources.describe(parts.get(0).source()) + ") has no video stream");
                }
                reference = CodecCheck.of(first.stream(stream).codecpar());
                videoStream = out.addStream(first.stream(stream).codecpar(), frameTime);
            }
            int audioStream = sound == null ? -1 : out.addStream(sound.parameters(), sound.timeBase(), sound.priming());
            out.writeHeader();
            for (int index = 0; index < parts.size(); index++) {
                Part part = parts.get(index);
                long frames = 0;
                try (PacketInput chunk = new PacketInput(part.source())) {
                    int stream = chunk.bestStream(avutil.AVMEDIA_TYPE_VIDEO);
                    if (stream < 0 || !reference.equals(CodecCheck.of(chunk.stream(stream).codecpar()))) {
                        throw new MediaException("chunk " + index + " was not encoded like chunk 0 (" + reference + " against "
                                + (stream < 0 ? "no video" : CodecCheck.of(chunk.stream(stream).codecpar())) + "): it cannot be joined by stream copy");
                    }
                    AVPacket packet;
                    long lastPts = Long.MIN_VALUE;
                    while ((packet = chunk.next()) != null) {
                        if (packet.stream_index() != stream) {
                            continue;
                        }
                        if (packet.pts() != avutil.AV_NOPTS_VALUE && packet.pts() <= lastPts) {
                            throw new MediaException("chunk " + index + " has frames out of order (B-frames): its packets cannot be renumbered in order");
                        }
                        lastPts = packet.pts();
                        if (frames == 0 && (packet.flags() & avcodec.AV_PKT_FLAG_KEY) == 0) {
                            throw new MediaException("chunk " + index + " does not start on a keyframe");
                        }
                        if (sound != null) {
                            sound.writeUntil(out, audioStream, (written + 1) * (double) output.fpsDenominator() / output.fpsNumerator());
                        }
                        packet.pts(written);
                        packet.dts(written);
                        packet.duration(1);
                        out.write(packet, videoStream, frameTime);
                        frames++;
                        written++;
                    }
                    chunkBytes += chunk.bytesRead();
                }
                if (frames != part.frames()) {
                    throw new MediaException("chunk " + index + " holds " + frames + " frames, expected " + part.frames());
                }
            }
            if (sound != null) {
                sound.writeUntil(out, audioStream, output.seconds());
            }
            out.finish();
        }
        return new Result(written, chunkBytes, copied);
    }

    /** Whether the audio can go in as it is: a codec the container takes, and covering the video to within a frame. */
    private static boolean copyable(String audio, Output output) {
        try (PacketInput input = new PacketInput(audio)) {
            int stream = input.bestStream(avutil.AVMEDIA_TYPE_AUDIO);
            if (stream < 0) {
                return true;
            }
            int codec = input.stream(stream).codecpar().codec_id();
            if ("mp4".equals(output.format()) && !PacketOutput.MP4_AUDIO.contains(codec)) {
                return false;
            }
            AVRational base = input.stream(stream).time_base();
            double end = 0;
            AVPacket packet;
            while ((packet = input.next()) != null) {
                if (packet.stream_index() == stream && packet.pts() != avutil.AV_NOPTS_VALUE) {
                    end = Math.max(end, (packet.pts() + Math.max(0, packet.duration())) * avutil.av_q2d(base));
                }
            }
            return end >= output.seconds() - (double) output.fpsDenominator() / output.fpsNumerator();
        }
    }

    /** The parameters two chunks must share to be joined by stream copy. */
    private record CodecCheck(int codec, int width, int height, int format, byte[] extradata) {
        static CodecCheck of(AVCodecParameters p) {
            byte[] extra = new byte[Math.max(0, p.extradata_size())];
            if (extra.length > 0) {
                p.extradata().get(extra);
            }
            return new CodecCheck(p.codec_id(), p.width(), p.height(), p.format(), extra);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CodecCheck c && c.codec == codec && c.width == width && c.height == height && c.format == format
                    && Arrays.equals(c.extradata, extradata);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(extradata) * 31 + codec;
        }

        @Override
        public String toString() {
            return avcodec.avcodec_get_name(codec).getString() + " " + width + "x" + height + ", " + extradata.length + " bytes of codec setup";
        }
    }

    /** The audio's packets, handed to the muxer as the video advances, and none that starts at or after the end. */
    private static final class AudioFeed implements AutoCloseable {
        private final PacketInput input;
        private final int stream;
        private final double end;
        private AVPacket pending;
        private boolean done;

        AudioFeed(String source, double end) {
            this.input = new PacketInput(source);
            this.stream = input.bestStream(avutil.AVMEDIA_TYPE_AUDIO);
            this.end = end;
            if (stream < 0) {
                input.close();
                throw new MediaException(Sources.describe(source) + " has no audio stream");
            }
            pending = nextAudio();
        }

        /** The encoder delay the audio starts with, carried into the output so it is not heard late. */
        int priming() {
            return pending == null ? 0 : AudioPriming.samples(input.stream(stream), pending);
        }

        AVCodecParameters parameters() {
            return input.stream(stream).codecpar();
        }

        AVRational timeBase() {
            return input.stream(stream).time_base();
        }

        /** Writes the packets that start before {@code seconds} (and before the end of the output). */
        void writeUntil(PacketOutput out, int outStream, double seconds) {
            double base = avutil.av_q2d(timeBase());
            while (!done) {
                if (pending == null) {
                    pending = nextAudio();
                    if (pending == null) {
                        done = true;
                        return;
                    }
                }
                double start = pending.pts() * base;
                if (start >= end) {
                    done = true;
                    return;
                }
                if (start >= seconds) {
                    return;
                }
                if (pending.duration() > 0 && start + pending.duration() * base > end) {
                    // the packet that crosses the end lasts only to the end: MP4 writes it into its edit list, so the audio stops with the video
                    pending.duration(Math.max(1, Math.round((end - start) / base)));
                }
                out.write(pending, outStream, timeBase());
                pending = null;
            }
        }

        private AVPacket nextAudio() {
            AVPacket packet;
            while ((packet = input.next()) != null) {
                if (packet.stream_index() == stream && packet.pts() != avutil.AV_NOPTS_VALUE) {
                    return packet;
                }
            }
            return null;
        }

        @Override
        public void close() {
            input.close();
        }
    }
}
