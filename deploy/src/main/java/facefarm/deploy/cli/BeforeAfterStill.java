package facefarm.deploy.cli;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.MediaException;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One frame of a target and of its render side by side in a PNG, the target on the left: the still a studio shows for
 * review. The frame is found by decoding from the first, so it is exact whatever the keyframes. A target shorter than
 * the render (a still image, or a video the audio outlasts) gives its last frame, as the render held it.
 */
final class BeforeAfterStill {
    private BeforeAfterStill() {
    }

    /** The file name the still of {@code frame} of {@code render} gets beside it: out.mp4 -> out.before-after-74.png. */
    static Path besides(Path render, long frame) {
        String name = render.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return render.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".before-after-" + frame + ".png");
    }

    /** Writes the still of {@code frame} to {@code output} (PNG); both sides at the render's height. */
    static void write(Path target, Path render, long frame, Path output) {
        try (Mat after = frame(render, frame, false); Mat before = frame(target, frame, true); Mat scaled = new Mat();
             Mat both = new Mat()) {
            int width = (int) Math.round(before.cols() * (double) after.rows() / before.rows());
            opencv_imgproc.resize(before, scaled, new Size(width, after.rows()), 0, 0, opencv_imgproc.INTER_AREA);
            try (MatVector pair = new MatVector(scaled, after)) {
                opencv_core.hconcat(pair, both);
            }
            if (!opencv_imgcodecs.imwrite(output.toString(), both)) {
                throw new MediaException("cannot write the still " + output + " (is its folder writable?)");
            }
        }
    }

    /** Frame {@code index} of {@code video}; its last frame if it has fewer and {@code holdLast}. */
    private static Mat frame(Path video, long index, boolean holdLast) {
        Mat last = null;
        long count = 0;
        try (FrameReader reader = new FrameReader(video, new FrameRange(0, index + 1), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame next = reader.next(); next != null; next = reader.next()) {
                if (last != null) {
                    last.close();
                }
                last = next.image();
                count++;
            }
        }
        if (last == null || count <= index && !holdLast) {
            if (last != null) {
                last.close();
            }
            throw new MediaException(video.getFileName() + " has " + count + " frame(s): no frame " + index + " (frames count from 0)");
        }
        return last;
    }
}
