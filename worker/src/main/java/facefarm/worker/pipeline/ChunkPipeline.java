package facefarm.worker.pipeline;

import facefarm.common.planning.FrameRange;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.media.FrameReader;
import facefarm.worker.processors.FrameProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face pipeline over a run of frames, without Kafka or S3: every decoded frame (context included) is analysed
 * (a few frames at a time, so their crops are batched), its faces selected, and processed in order; only the owned
 * frames go to the sink. Deterministic for a deterministic chain, so a chunked render equals a one-pass render.
 */
public final class ChunkPipeline {
    private final FaceAnalyser analyser;
    private final FaceSelector selector;
    private final List<FrameProcessor> processors;
    private final int batchFrames;

    /**
     * @param batchFrames frames analysed together, so their crops share model runs; 1 analyses frame by frame
     */
    public ChunkPipeline(FaceAnalyser analyser, FaceSelector selector, List<FrameProcessor> processors, int batchFrames) {
        this.analyser = analyser;
        this.selector = selector;
        this.processors = List.copyOf(processors);
        this.batchFrames = Math.max(1, batchFrames);
    }

    /** Frames in order, then null: a {@link FrameReader}'s {@code next}, or any other source of indexed frames. */
    public interface FrameSource {
        FrameReader.IndexedFrame next();
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
    public long run(FrameSource reader, FrameRange owned, FrameSink sink, LongConsumer progress, Timings timings) {
        long emitted = 0;
        boolean more = true;
        while (more) {
            List<FrameReader.IndexedFrame> batch = new ArrayList<>(batchFrames);
            try {
                long t0 = System.nanoTime();
                while (batch.size() < batchFrames) {
                    FrameReader.IndexedFrame frame = reader.next();
                    if (frame == null) {
                        more = false;
                        break;
                    }
                    batch.add(frame);
                }
                long t1 = System.nanoTime();
                timings.decodeNanos += t1 - t0;
                if (batch.isEmpty()) {
                    break;
                }
                List<List<Face>> faces = analyser.analyse(batch.stream().map(FrameReader.IndexedFrame::image).toList());
                timings.processNanos += System.nanoTime() - t1;
                for (int i = 0; i < batch.size(); i++) {
                    long t2 = System.nanoTime();
                    FrameReader.IndexedFrame frame = batch.get(i);
                    List<Face> selected = selector.select(faces.get(i));
                    for (FrameProcessor processor : processors) {
                        processor.process(frame.index(), frame.image(), selected);
                    }
                    long t3 = System.nanoTime();
                    timings.processNanos += t3 - t2;
                    if (owned.contains(frame.index())) {
                        sink.accept(frame.index(), frame.image());
                        emitted++;
                        progress.accept(emitted);
                    }
                    timings.sinkNanos += System.nanoTime() - t3;
                }
            } finally {
                batch.forEach(frame -> frame.image().close());
            }
        }
        return emitted;
    }
}
