package facefarm.worker.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * A media file or URL read packet by packet, without decoding: the probe counts frames this way and the stitch
 * copies chunks this way. URLs are read by FFmpeg's HTTP client in byte ranges; {@link #bytesRead} says how much.
 */
public final class PacketInput implements AutoCloseable {
    private final AVFormatContext context = new AVFormatContext(null);
    private final AVPacket packet = av_packet_alloc();
    private final String source;
    private boolean open;

    public PacketInput(String source) {
        this.source = source;
        AVDictionary options = new AVDictionary(null);
        Sources.options(source).forEach((name, value) -> avutil.av_dict_set(options, name, value, 0));
        int result = avformat_open_input(context, source, null, options);
        avutil.av_dict_free(options);
        if (result < 0) {
            av_packet_free(packet);
            throw new OpenFailed(source, FfmpegErrors.text(result));
        }
        open = true;
        result = avformat_find_stream_info(context, (AVDictionary) null);
        if (result < 0) {
            close();
            throw new MediaException("cannot read the streams of " + Sources.describe(source) + ": " + FfmpegErrors.text(result));
        }
    }

    /** The file or URL could not be opened as media; {@link #reason()} is FFmpeg's word for why. */
    public static final class OpenFailed extends MediaException {
        private final String reason;

        OpenFailed(String source, String reason) {
            super("cannot open " + Sources.describe(source) + ": " + reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The best stream of a kind (avutil.AVMEDIA_TYPE_VIDEO, ..._AUDIO), or -1 when there is none. */
    public int bestStream(int mediaType) {
        int index = av_find_best_stream(context, mediaType, -1, -1, (AVCodec) null, 0);
        return index < 0 ? -1 : index;
    }

    public AVStream stream(int index) {
        return context.streams(index);
    }

    /** The container's short name (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi"). */
    public String formatName() {
        return context.iformat().name().getString();
    }

    /** The next packet (valid until the next call), or null at the end of the file. */
    public AVPacket next() {
        av_packet_unref(packet);
        int result = av_read_frame(context, packet);
        if (result == avutil.AVERROR_EOF()) {
            return null;
        }
        if (result < 0) {
            throw new MediaException("reading " + Sources.describe(source) + " failed: " + FfmpegErrors.text(result));
        }
        return packet;
    }

    /** Bytes read from the file or URL so far. */
    public long bytesRead() {
        return context.pb() == null ? 0 : context.pb().bytes_read();
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            av_packet_unref(packet);
            av_packet_free(packet);
            avformat_close_input(context);
        }
    }
}
