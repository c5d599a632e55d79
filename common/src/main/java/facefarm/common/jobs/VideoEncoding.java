package facefarm.common.jobs;

/**
 * How chunks are encoded, once, in the delivery codec: {@code mkv} is lossless FFV1 (every frame a keyframe);
 * {@code mp4} is H.264 at {@code bitrate} bits/s. Every chunk starts on a keyframe, so the stitch joins them by
 * stream copy.
 */
public record VideoEncoding(String format, long bitrate) {
    /** The default H.264 bitrate: 0.3 bits per pixel per frame (about 19 Mbit/s at 1080p30), a master's quality. */
    public static final double MASTER_BITS_PER_PIXEL = 0.3;
    public static final long MIN_BITRATE = 500_000L;
    public static final long MAX_BITRATE = 400_000_000L;

    public boolean lossless() {
        return "mkv".equals(format);
    }

    /** The encoding of a job's output: the studio's bitrate, or the master default for its size and rate. */
    public static VideoEncoding of(String format, Long bitrate, int width, int height, int fpsNumerator, int fpsDenominator) {
        if ("mkv".equals(format)) {
            return new VideoEncoding("mkv", 0);
        }
        long chosen = bitrate != null ? bitrate
                : Math.round(MASTER_BITS_PER_PIXEL * width * height * fpsNumerator / fpsDenominator);
        return new VideoEncoding("mp4", Math.max(MIN_BITRATE, Math.min(MAX_BITRATE, chosen)));
    }
}
