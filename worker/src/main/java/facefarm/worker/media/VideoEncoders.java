package facefarm.worker.media;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Which H.264 encoder a worker's mp4 chunks use, decided once at start from FARM_VIDEO_ENCODER: {@code auto} (the
 * default) takes the GPU's NVENC when the worker computes on a GPU and NVENC opens there, else the CPU's
 * libopenh264; {@code nvenc} insists on NVENC and refuses to start without it; {@code software} never uses it.
 * Lossless (mkv) chunks are FFV1 either way.
 */
public record VideoEncoders(String h264, String note) {
    private static final System.Logger LOG = System.getLogger(VideoEncoders.class.getName());
    public static final String SOFTWARE_H264 = "libopenh264";
    public static final String NVENC_H264 = "h264_nvenc";
    private static volatile VideoEncoders current = new VideoEncoders(SOFTWARE_H264, null);

    public boolean nvenc() {
        return NVENC_H264.equals(h264);
    }

    /** The choice this process made (libopenh264 until {@link #choose} ran). */
    public static VideoEncoders current() {
        return current;
    }

    /**
     * Decides and remembers the process's encoders.
     *
     * @param onGpu whether the worker's models run on a GPU: a CPU worker never asks NVENC unless told to
     * @throws IllegalArgumentException for an unknown setting, or FARM_VIDEO_ENCODER=nvenc where NVENC does not open
     */
    public static VideoEncoders choose(Map<String, String> env, boolean onGpu, Path scratch) {
        String setting = env.getOrDefault("FARM_VIDEO_ENCODER", "auto").trim().toLowerCase(Locale.ROOT);
        VideoEncoders chosen = switch (setting) {
            case "software" -> new VideoEncoders(SOFTWARE_H264, null);
            case "auto" -> onGpu ? nvencOr(scratch, false) : new VideoEncoders(SOFTWARE_H264, null);
            case "nvenc" -> nvencOr(scratch, true);
            default -> throw new IllegalArgumentException("FARM_VIDEO_ENCODER=" + setting + " is not an encoder choice (use auto, nvenc or software)");
        };
        current = chosen;
        return chosen;
    }

    private static VideoEncoders nvencOr(Path scratch, boolean strict) {
        String failure = nvencFailure(scratch);
        if (failure == null) {
            return new VideoEncoders(NVENC_H264, null);
        }
        String why = "NVENC (" + NVENC_H264 + ") does not open here: " + failure
                + "; it needs an NVIDIA GPU and driver visible to the process (--gpus, or a nvidia.com/gpu resource)";
        if (strict) {
            throw new IllegalArgumentException("FARM_VIDEO_ENCODER=nvenc, but " + why + "; set FARM_VIDEO_ENCODER=auto to fall back to "
                    + SOFTWARE_H264);
        }
        LOG.log(Level.WARNING, "mp4 chunks are encoded with " + SOFTWARE_H264 + " on the CPU: " + why);
        return new VideoEncoders(SOFTWARE_H264, why);
    }

    /** Opens NVENC on a few small frames: null if it encodes, else FFmpeg's first line about why not. */
    static String nvencFailure(Path scratch) {
        Path probe = scratch.resolve("nvenc-probe.mkv");
        try {
            Files.createDirectories(scratch);
            FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(probe.toFile(), 256, 256, 0);
            try {
                recorder.setFormat("matroska");
                recorder.setVideoCodecName(NVENC_H264);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(25);
                recorder.start();
                Frame frame = new Frame(256, 256, Frame.DEPTH_UBYTE, 3);
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                recorder.stop();
                return null;
            } finally {
                recorder.release();
            }
        } catch (java.io.IOException | RuntimeException e) {
            return VideoProbe.firstLine(e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (java.io.IOException e) {
                LOG.log(Level.DEBUG, "cannot delete " + probe, e);
            }
        }
    }
}
