package facefarm.worker.media;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The encoder delay (priming samples) at the start of a lossy audio stream: an MP4's AAC starts 1,024 samples early
 * and says so in an edit list, which reaches us as the first packet's skip-samples or a negative timestamp. A copy
 * must carry it on (as the stream's initial padding), or its audio plays that much late.
 */
public final class AudioPriming {
    private AudioPriming() {
    }

    public static int samples(AVStream stream, AVPacket first) {
        int padding = Math.max(0, stream.codecpar().initial_padding());
        SizeTPointer size = new SizeTPointer(1);
        BytePointer skip = avcodec.av_packet_get_side_data(first, avcodec.AV_PKT_DATA_SKIP_SAMPLES, size);
        if (skip != null && !skip.isNull() && size.get() >= 4) {
            padding = Math.max(padding, skip.getInt(0));
        }
        if (first.pts() != avutil.AV_NOPTS_VALUE && first.pts() < 0 && stream.codecpar().sample_rate() > 0) {
            long samples = avutil.av_rescale_q(-first.pts(), stream.time_base(), avutil.av_make_q(1, stream.codecpar().sample_rate()));
            padding = (int) Math.max(padding, samples);
        }
        return padding;
    }
}
