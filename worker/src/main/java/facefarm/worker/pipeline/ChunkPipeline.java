package facefarm.worker.pipeline;

import facefarm.common.planning.FrameRange;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.media.FrameReader;
import facefarm.worker.processors.FrameProcessor;
import java.util.List;
import java.util.function.LongConsumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face pipeline over a run of frames, without Kafka or S3: every decoded frame (context included) is analysed
 * and processed in order; only the owned frames go to the sink. Deterministic for a deterministic chain, so a chunked
 * render equals a one-pass render.
 */
public final class ChunkPipeline {
    private final FaceAnalyser analyser;
    private final List<FrameProcessor> processors;

    public ChunkPipeline(FaceAnalyser analyser, List<FrameProcessor> processors) {
        this.analyser = analyser;
        this.processors = List.copyOf(processors);
    }

    public interface FrameSink {
        void accept(long index, Mat frame);
    }

    /** Stage times of one run, in nanoseconds. */
    public static final class Timings {
        public long decodeNanos;
        public long processNanos;
        public long sinkNanos;
    }

    /**
     * @return the number of owned frames handed to the sink
     */
    public long run(FrameReader reader, FrameRange owned, FrameSink sink, LongConsumer progress, Timings timings) {
        long emitted = 0;
        while (true) {
            long t0 = System.nanoTime();
            FrameReader.IndexedFrame frame = reader.next();
            long t1 = System.nanoTime();
            timings.decodeNanos += t1 - t0;
            if (frame == null) {
                break;
            }
            try (Mat image = frame.image()) {
                List<Face> faces = analyser.analyse(image);
                for (FrameProcessor processor : processors) {
                    processor.process(frame.index(), image, faces);
                }
                long t2 = System.nanoTime();
                timings.processNanos += t2 - t1;
                if (owned.contains(frame.index())) {
                    sink.accept(frame.index(), image);
                    emitted++;
                    progress.accept(emitted);
                }
                timings.sinkNanos += System.nanoTime() - t2;
            }
        }
        return emitted;
    }
}
