package facefarm.worker.media;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes BGR frames losslessly (FFV1, every frame a keyframe, in Matroska) at the source's rational frame rate.
 * Lossless intermediates make a chunked render identical to a one-chunk render.
 */
public final class LosslessChunkWriter implements AutoCloseable {
    private final FFmpegFrameRecorder recorder;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final Path output;
    private final int width;
    private final int height;
    private long frames;
    private boolean finished;

    public LosslessChunkWriter(Path output, int width, int height, int fpsNumerator, int fpsDenominator) {
        this.output = output;
        this.width = width;
        this.height = height;
        recorder = new FFmpegFrameRecorder(output.toFile(), width, height, 0);
        recorder.setFormat("matroska");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_BGR0);
        recorder.setFrameRate((double) fpsNumerator / fpsDenominator);
        recorder.setGopSize(1);
        recorder.setVideoOption("level", "3");
        recorder.setVideoOption("threads", "1");
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
            recorder.record(converter.convert(image), avutil.AV_PIX_FMT_BGR24);
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
