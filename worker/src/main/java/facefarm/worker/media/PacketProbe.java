package facefarm.worker.media;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Probes a video without decoding its pictures: frames and keyframes are counted from the demuxed packets, in one
 * sequential read of the file (or of a presigned URL). Packets are trusted only where the container gives reliable
 * boundaries and timestamps (MP4/MOV, Matroska/WebM): every video packet one frame with a timestamp, the first a
 * keyframe, no two alike; and the last group of pictures is decoded to confirm the count. Anything else (AVI with
 * packed B-frames, MPEG-TS, images) is counted by decoding, as {@link VideoProbe} does. The same read copies the
 * audio stream into a small audio-only file, so the stitch never reads the target again.
 */
public final class PacketProbe {
    private static final System.Logger LOG = System.getLogger(PacketProbe.class.getName());
    private static final List<String> TRUSTED_CONTAINERS = List.of("mov", "matroska");

    private PacketProbe() {
    }

    /** What the probe learned, how, and what it read. */
    public record Result(VideoInfo video, boolean countedFromPackets, long bytesRead, Path audioTrack) {
    }

    /**
     * @param source    a file path or a presigned URL
     * @param audioBase where to copy the audio stream, without extension (".m4a" or ".mka" is added), or null not to
     */
    public static Result probe(String source, Path audioBase) {
        long bytes;
        Packets packets;
        VideoInfo header;
        Path audioTrack = null;
        try (PacketInput input = open(source)) {
            int video = input.bestStream(avutil.AVMEDIA_TYPE_VIDEO);
            if (video < 0) {
                throw new MediaException("the target has no video stream: upload a video file");
            }
            AVStream stream = input.stream(video);
            AVCodecParameters codec = stream.codecpar();
            if (codec.width() <= 0 || codec.height() <= 0) {
                throw new MediaException("the target's video stream has no picture size: the file is damaged or not a video");
            }
            if ((long) codec.width() * codec.height() > VideoProbe.MAX_PIXELS) {
                throw new MediaException("the target is " + codec.width() + "x" + codec.height() + ", larger than the 7680x4320 the farm accepts: "
                        + "scale it down first");
            }
            AVRational rate = usableRate(stream.avg_frame_rate()) ? stream.avg_frame_rate() : stream.r_frame_rate();
            if (!usableRate(rate)) {
                throw new MediaException("the target video has no usable frame rate: re-encode it at a constant frame rate");
            }
            int audio = input.bestStream(avutil.AVMEDIA_TYPE_AUDIO);
            boolean hasAudio = audio >= 0 && input.stream(audio).codecpar().ch_layout().nb_channels() > 0;
            header = new VideoInfo(0, rate.num(), rate.den(), codec.width(), codec.height(), codecName(codec.codec_id()), hasAudio,
                    hasAudio ? input.stream(audio).codecpar().sample_rate() : 0, hasAudio ? input.stream(audio).codecpar().ch_layout().nb_channels() : 0,
                    List.of());
            boolean trusted = TRUSTED_CONTAINERS.stream().anyMatch(input.formatName()::contains);
            if (hasAudio && audioBase != null) {
                // MP4 keeps an AAC's encoder delay in its edit list; Matroska would drop it
                boolean mp4 = PacketOutput.MP4_AUDIO.contains(input.stream(audio).codecpar().codec_id());
                audioTrack = audioBase.resolveSibling(audioBase.getFileName() + (mp4 ? ".m4a" : ".mka"));
            }
            try (PacketOutput track = audioTrack == null ? null
                    : new PacketOutput(audioTrack, audioTrack.toString().endsWith(".m4a") ? "mp4" : "matroska")) {
                int trackStream = -1;
                packets = new Packets(stream.time_base());
                AVPacket packet;
                while ((packet = input.next()) != null) {
                    if (packet.stream_index() == video) {
                        packets.add(packet);
                    } else if (track != null && packet.stream_index() == audio) {
                        if (trackStream < 0) {
                            // the header waits for the first packet: it says how many priming samples the track starts with
                            AVStream sound = input.stream(audio);
                            trackStream = track.addStream(sound.codecpar(), sound.time_base(), AudioPriming.samples(sound, packet));
                            track.writeHeader();
                        }
                        track.write(packet, trackStream, input.stream(audio).time_base());
                    }
                }
                if (track != null && trackStream >= 0) {
                    track.finish();
                } else {
                    audioTrack = null;
                }
            }
            bytes = input.bytesRead();
            if (!trusted) {
                packets.distrust("the " + input.formatName() + " container's packets are not counted");
            }
        }
        VideoInfo counted = packets.trusted() ? packets.info(header) : null;
        if (counted != null && !tailDecodes(source, counted)) {
            counted = null;
        }
        if (counted == null) {
            LOG.log(Level.INFO, "counting the frames of {0} by decoding: {1}", Sources.describe(source), packets.why());
            return new Result(VideoProbe.probe(source), false, bytes, audioTrack);
        }
        return new Result(counted, true, bytes, audioTrack);
    }

    private static PacketInput open(String source) {
        try {
            return new PacketInput(source);
        } catch (PacketInput.OpenFailed e) {
            throw new MediaException("the target is not a video FFmpeg can read (" + e.reason() + "): upload an MP4, MOV, MKV, AVI or WebM file", e);
        } catch (MediaException e) {
            throw new MediaException("the target is not a video FFmpeg can read: upload an MP4, MOV, MKV, AVI or WebM file", e);
        }
    }

    /**
     * Decodes the last group of pictures: it must start at the last keyframe's timestamp and hold exactly the frames
     * the packets promised, which catches a truncated file and any container whose packets are not one frame each.
     */
    private static boolean tailDecodes(String source, VideoInfo video) {
        Keyframe last = video.keyframes().get(video.keyframes().size() - 1);
        try (FrameReader reader = new FrameReader(source, new FrameRange(last.index(), video.frames()), last)) {
            long frames = 0;
            FrameReader.IndexedFrame frame;
            while ((frame = reader.next()) != null) {
                frame.image().close();
                frames++;
            }
            if (!reader.seekVerified() && !last.isStart()) {
                return false;
            }
            if (frames != video.frames() - last.index()) {
                LOG.log(Level.INFO, "the last group of {0} decoded to {1} frames, the packets promised {2}", Sources.describe(source), frames,
                        video.frames() - last.index());
                return false;
            }
            return true;
        } catch (MediaException e) {
            throw new MediaException("the target video is damaged near its end (" + e.getMessage() + "): upload an intact file", e);
        }
    }

    private static boolean usableRate(AVRational rate) {
        return rate != null && rate.num() > 0 && rate.den() > 0;
    }

    private static String codecName(int codecId) {
        var name = avcodec.avcodec_get_name(codecId);
        return name == null ? "unknown" : name.getString();
    }

    /** The video packets' timestamps and key flags, in decode order. */
    private static final class Packets {
        private final long num;
        private final long den;
        private long[] pts = new long[1024];
        private boolean[] key = new boolean[1024];
        private int count;
        private String distrust;

        Packets(AVRational timeBase) {
            this.num = timeBase.num();
            this.den = timeBase.den();
        }

        void add(AVPacket packet) {
            if ((packet.flags() & avcodec.AV_PKT_FLAG_DISCARD) != 0) {
                return;
            }
            if (packet.pts() == avutil.AV_NOPTS_VALUE) {
                distrust("a video packet has no timestamp");
                return;
            }
            if (count == pts.length) {
                pts = Arrays.copyOf(pts, count * 2);
                key = Arrays.copyOf(key, count * 2);
            }
            if (count == 0 && (packet.flags() & avcodec.AV_PKT_FLAG_KEY) == 0) {
                distrust("the first video packet is not a keyframe");
            }
            pts[count] = packet.pts();
            key[count] = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
            count++;
        }

        void distrust(String why) {
            if (distrust == null) {
                distrust = why;
            }
        }

        boolean trusted() {
            return distrust == null && count > 0;
        }

        String why() {
            return distrust != null ? distrust : "no video packet was found";
        }

        /** Frames in presentation order: a keyframe's index is the number of frames shown before it. */
        VideoInfo info(VideoInfo header) {
            long[] order = Arrays.copyOf(pts, count);
            Arrays.sort(order);
            for (int i = 1; i < count; i++) {
                if (order[i] == order[i - 1]) {
                    distrust("two video packets share a timestamp");
                    return null;
                }
            }
            List<Keyframe> keyframes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (key[i]) {
                    long index = Arrays.binarySearch(order, pts[i]);
                    keyframes.add(new Keyframe(index, 1_000_000L * pts[i] * num / den));
                }
            }
            keyframes.sort(java.util.Comparator.comparingLong(Keyframe::index));
            return new VideoInfo(count, header.fpsNumerator(), header.fpsDenominator(), header.width(), header.height(), header.videoCodec(),
                    header.hasAudio(), header.audioSampleRate(), header.audioChannels(), keyframes);
        }
    }
}
