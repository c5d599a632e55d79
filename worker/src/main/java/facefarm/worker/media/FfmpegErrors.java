package facefarm.worker.media;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's error codes as words. */
final class FfmpegErrors {
    private FfmpegErrors() {
    }

    static String text(int code) {
        byte[] buffer = new byte[256];
        avutil.av_strerror(code, buffer, buffer.length);
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
    }
}
