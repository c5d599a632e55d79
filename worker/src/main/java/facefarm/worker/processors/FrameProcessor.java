package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One step of the face pipeline. It changes the frame in place, using the faces that analysis found once for all
 * processors (tracked, gap-filled and smoothed before they get here). The context a processor's own state needs across
 * chunk seams is declared by name, in {@link ProcessorRegistry#overlap}, so ingest plans chunks without loading any
 * model.
 */
public interface FrameProcessor extends AutoCloseable {
    String name();

    void process(long frameIndex, Mat frame, List<Face> faces);

    /**
     * The faces of the people a job's face map gives source number {@code source}. Processors that put a source on a
     * face (the swappers) use that source; the rest treat the faces as any others.
     */
    default void process(long frameIndex, Mat frame, List<Face> faces, int source) {
        process(frameIndex, frame, faces);
    }

    @Override
    default void close() {
    }
}
