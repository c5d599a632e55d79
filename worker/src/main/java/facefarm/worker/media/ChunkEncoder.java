package facefarm.worker.media;

import facefarm.common.jobs.VideoEncoding;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes a chunk's BGR frames once, in the job's delivery codec, into Matroska: lossless FFV1 (every frame a
 * keyframe, so a chunked render equals a one-chunk render exactly) for mkv delivery, or H.264 at the job's bitrate for
 * mp4 delivery (libopenh264 on the CPU, or NVENC on a GPU worker). A chunk is its own encoding session, so it starts on a keyframe and the stitch joins chunks by
 * stream copy. Timestamps are the frames' order; the stitch renumbers them.
 */
public final class ChunkEncoder implements AutoCloseable {
    /** H.264 keyframe spacing inside a chunk, in seconds: seekable deliveries without wasting bits. */
    private static final int H264_GOP_SECONDS = 2;
    private final FFmpegFrameRecorder recorder;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    /** Reused I420 picture for H.264: OpenCV's vectorised BGR to YUV 4:2:0 instead of swscale's scalar one. */
    private final Mat yuv;
    private final Path output;
    private final int width;
    private final int height;
    private long frames;
    private boolean finished;

    /** A lossless (FFV1) chunk. */
    public ChunkEncoder(Path output, int width, int height, int fpsNumerator, int fpsDenominator) {
        this(output, width, height, fpsNumerator, fpsDenominator, new VideoEncoding("mkv", 0));
    }

    /** A chunk in the job's delivery codec, H.264 with the encoder this worker chose ({@link VideoEncoders#current()}). */
    public ChunkEncoder(Path output, int width, int height, int fpsNumerator, int fpsDenominator, VideoEncoding encoding) {
        this(output, width, height, fpsNumerator, fpsDenominator, encoding, VideoEncoders.current().h264());
    }

    /** @param h264Encoder FFmpeg's name of the H.264 encoder for mp4 delivery: libopenh264 or h264_nvenc */
    public ChunkEncoder(Path output, int width, int height, int fpsNumerator, int fpsDenominator, VideoEncoding encoding, String h264Encoder) {
        this.output = output;
        this.width = width;
        this.height = height;
        // I420 halves both dimensions for its chroma planes: odd sizes keep swscale's conversion
        this.yuv = encoding.lossless() || width % 2 != 0 || height % 2 != 0 ? null : new Mat();
        recorder = new FFmpegFrameRecorder(output.toFile(), width, height, 0);
        recorder.setFormat("matroska");
        recorder.setFrameRate((double) fpsNumerator / fpsDenominator);
        if (encoding.lossless()) {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_BGR0);
            recorder.setGopSize(1);
            recorder.setVideoOption("level", "3");
            recorder.setVideoOption("threads", "1");
        } else {
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, encoding.bitrate()));
            recorder.setGopSize(Math.max(1, H264_GOP_SECONDS * fpsNumerator / fpsDenominator));
            if (h264Encoder.equals(VideoEncoders.NVENC_H264)) {
                // the GPU's encoder: constant bitrate, and no B-frames, as the stitch renumbers timestamps in order
                recorder.setVideoCodecName(VideoEncoders.NVENC_H264);
                recorder.setVideoOption("preset", "p5");
                recorder.setVideoOption("rc", "cbr");
                recorder.setVideoOption("bf", "0");
            } else {
                // the LGPL FFmpeg build's H.264 encoder is libopenh264: bitrate control, no B-frames, no presets
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                recorder.setVideoOption("allow_skip_frames", "0");
                recorder.setVideoOption("rc_mode", "bitrate");
            }
        }
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            throw new MediaException("cannot start writing " + output + ": " + VideoProbe.firstLine(e), e);
        }
    }

    public void write(Mat image) {
        if (image.cols() != width || image.rows() != height || image.channels() != 3) {
            throw new MediaException("frame is " + image.cols() + "x" + image.rows() + "x" + image.channels() + ", the chunk is " + width + "x" + height + "x3");
        }
        try {
            if (yuv == null) {
                recorder.record(converter.convert(image), avutil.AV_PIX_FMT_BGR24);
            } else {
                // the same BT.601 limited-range matrix swscale applies, at a fraction of its cost (it was a quarter of
                // the encode's time on 1080p); the encoder then takes the planes as they are
                opencv_imgproc.cvtColor(image, yuv, opencv_imgproc.COLOR_BGR2YUV_I420);
                recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, yuv.createBuffer());
            }
            frames++;
        } catch (FrameRecorder.Exception e) {
            throw new MediaException("cannot encode frame " + frames + " of " + output + ": " + VideoProbe.firstLine(e), e);
        }
    }

    public long frames() {
        return frames;
    }

    /** Flushes the encoder and closes the file; the file is complete only after this returns. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new MediaException("cannot finish " + output + ": " + VideoProbe.firstLine(e), e);
        }
    }

    @Override
    public void close() {
        if (yuv != null) {
            yuv.close();
        }
        if (!finished) {
            finished = true;
            try {
                recorder.release();
            } catch (FrameRecorder.Exception e) {
                throw new MediaException("cannot release the encoder of " + output, e);
            }
        }
    }
}
