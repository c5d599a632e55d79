package facefarm.worker.media;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * An FFmpeg I/O context whose writes and seeks go to a {@link SeekableSink}. The native callbacks are shared; each
 * context finds its sink by the id it passes as FFmpeg's opaque pointer.
 */
final class AvioSink implements AutoCloseable {
    private static final int BUFFER = 1 << 20;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;
    private static final Map<Long, AvioSink> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong(1);
    private static final WriteCallback WRITE = new WriteCallback().retainReference();
    private static final SeekCallback SEEK = new SeekCallback().retainReference();

    private final SeekableSink sink;
    private final long id = IDS.getAndIncrement();
    private final AVIOContext context;
    private long position;
    private IOException failure;
    private boolean finished;

    AvioSink(SeekableSink sink) {
        this.sink = sink;
        BytePointer buffer = new BytePointer(avutil.av_malloc(BUFFER));
        OPEN.put(id, this);
        // the opaque pointer FFmpeg hands back to the callbacks carries this sink's id as its address
        Pointer opaque = new Pointer() {
            {
                address = id;
            }
        };
        context = avformat.avio_alloc_context(buffer, BUFFER, 1, opaque, (Read_packet_Pointer_BytePointer_int) null, WRITE, SEEK);
        context.seekable(avformat.AVIO_SEEKABLE_NORMAL);
    }

    AVIOContext context() {
        return context;
    }

    /** The first failure of the sink, which FFmpeg only saw as an error code. */
    IOException failure() {
        return failure;
    }

    /** Makes the written output durable; until then, closing abandons it. */
    void finish() {
        try {
            sink.finish();
            finished = true;
        } catch (IOException e) {
            throw new MediaException("cannot finish the output: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!finished) {
            sink.abort();
        }
        OPEN.remove(id);
        avutil.av_free(context.buffer());
        avformat.avio_context_free(context);
    }

    private int write(BytePointer data, int size) {
        byte[] bytes = new byte[size];
        data.get(bytes, 0, size);
        try {
            sink.write(position, bytes, size);
            position += size;
            return size;
        } catch (IOException e) {
            failure = failure == null ? e : failure;
            return avutil.AVERROR_EIO();
        }
    }

    private long seek(long offset, int whence) {
        if ((whence & avformat.AVSEEK_SIZE) != 0) {
            return sink.size();
        }
        long target = switch (whence & ~avformat.AVSEEK_FORCE) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> position + offset;
            case SEEK_END -> sink.size() + offset;
            default -> -1;
        };
        if (target < 0) {
            return avutil.AVERROR_EINVAL();
        }
        position = target;
        return position;
    }

    private static final class WriteCallback extends Write_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buffer, int size) {
            AvioSink sink = OPEN.get(opaque.address());
            return sink == null ? avutil.AVERROR_EINVAL() : sink.write(buffer, size);
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            AvioSink sink = OPEN.get(opaque.address());
            return sink == null ? avutil.AVERROR_EINVAL() : sink.seek(offset, whence);
        }
    }
}
