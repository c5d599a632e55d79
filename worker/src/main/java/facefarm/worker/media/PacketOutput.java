package facefarm.worker.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

import java.nio.file.Path;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * A file written packet by packet (remuxing, no encoding): the stitch's output and the prepare task's audio track.
 * It goes to a local file, or to a {@link SeekableSink} (the stitch streams its output to S3 as it is written).
 */
public final class PacketOutput implements AutoCloseable {
    /** Audio codecs MP4 carries as they are (with their encoder delay, in its edit list); Matroska carries any. */
    public static final Set<Integer> MP4_AUDIO = Set.of(avcodec.AV_CODEC_ID_AAC, avcodec.AV_CODEC_ID_MP3, avcodec.AV_CODEC_ID_AC3,
            avcodec.AV_CODEC_ID_EAC3, avcodec.AV_CODEC_ID_ALAC, avcodec.AV_CODEC_ID_OPUS);

    private final AVFormatContext context = new AVFormatContext(null);
    private final String name;
    private final AvioSink sink;
    private boolean headerWritten;
    private boolean closed;

    /** @param format FFmpeg's muxer name: "mp4", "matroska" */
    public PacketOutput(Path file, String format) {
        this.name = file.toString();
        this.sink = null;
        int result = avformat_alloc_output_context2(context, null, format, file.toString());
        if (result < 0) {
            throw new MediaException("cannot create a " + format + " file " + name + ": " + FfmpegErrors.text(result));
        }
    }

    /** @param name what the output is called in messages */
    public PacketOutput(SeekableSink target, String format, String name) {
        this.name = name;
        int result = avformat_alloc_output_context2(context, null, format, (String) null);
        if (result < 0) {
            throw new MediaException("cannot create a " + format + " output " + name + ": " + FfmpegErrors.text(result));
        }
        this.sink = new AvioSink(target);
        context.pb(sink.context());
        // the caller owns the I/O context: FFmpeg must not close it
        context.flags(context.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
    }

    /** Adds a stream with the codec parameters of an input stream; returns its index. */
    public int addStream(AVCodecParameters parameters, AVRational timeBase) {
        return addStream(parameters, timeBase, 0);
    }

    /** @param primingSamples an audio stream's encoder delay ({@link AudioPriming}), written as the muxer's edit list or codec delay */
    public int addStream(AVCodecParameters parameters, AVRational timeBase, int primingSamples) {
        AVStream stream = avformat_new_stream(context, (AVCodec) null);
        int result = avcodec_parameters_copy(stream.codecpar(), parameters);
        if (result < 0) {
            throw new MediaException("cannot copy codec parameters into " + name + ": " + FfmpegErrors.text(result));
        }
        // the muxer picks its own tag for the container (an avc1 in mp4 from an mkv's H.264, for example)
        stream.codecpar().codec_tag(0);
        if (primingSamples > 0) {
            stream.codecpar().initial_padding(primingSamples);
        }
        stream.time_base(timeBase);
        return stream.index();
    }

    public AVStream stream(int index) {
        return context.streams(index);
    }

    public void writeHeader() {
        if (sink == null && (context.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext io = new AVIOContext(null);
            int result = avio_open(io, name, AVIO_FLAG_WRITE);
            if (result < 0) {
                throw new MediaException("cannot open " + name + " for writing: " + FfmpegErrors.text(result));
            }
            context.pb(io);
        }
        int result = avformat_write_header(context, (AVDictionary) null);
        if (result < 0) {
            failIfSinkFailed();
            throw new MediaException("cannot write the header of " + name + ": " + FfmpegErrors.text(result));
        }
        headerWritten = true;
    }

    /** Writes a packet whose timestamps are in {@code from}, into stream {@code index}; the muxer interleaves streams. */
    public void write(AVPacket packet, int index, AVRational from) {
        packet.stream_index(index);
        av_packet_rescale_ts(packet, from, context.streams(index).time_base());
        packet.pos(-1);
        int result = av_interleaved_write_frame(context, packet);
        if (result < 0) {
            failIfSinkFailed();
            throw new MediaException("cannot write a packet to " + name + ": " + FfmpegErrors.text(result));
        }
    }

    /** Writes the trailer (indexes, durations): the file is complete only after this returns. */
    public void finish() {
        int result = av_write_trailer(context);
        if (result < 0) {
            failIfSinkFailed();
            throw new MediaException("cannot finish " + name + ": " + FfmpegErrors.text(result));
        }
        if (sink != null) {
            org.bytedeco.ffmpeg.global.avformat.avio_flush(context.pb());
            failIfSinkFailed();
            sink.finish();
        }
        close();
    }

    private void failIfSinkFailed() {
        if (sink != null && sink.failure() != null) {
            throw new MediaException("cannot write " + name + ": " + sink.failure().getMessage(), sink.failure());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sink != null) {
            sink.close();
            context.pb(null);
        } else if (headerWritten && (context.oformat().flags() & AVFMT_NOFILE) == 0) {
            avio_closep(context.pb());
        }
        avformat_free_context(context);
    }
}
