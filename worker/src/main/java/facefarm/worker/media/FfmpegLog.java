package facefarm.worker.media;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg writes every opened file's stream dump to stderr at its default level; the farm's logs keep only its errors. */
public final class FfmpegLog {
    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private FfmpegLog() {
    }

    /** Loads FFmpeg's logging at error level; call once before any media work in a process. */
    public static void quiet() {
        // the static initialiser does the work, once per process
    }
}
