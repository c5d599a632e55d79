package facefarm.worker.pipeline;

import facefarm.common.planning.FrameRange;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.media.FrameReader;
import facefarm.worker.processors.FrameProcessor;
import facefarm.worker.tracking.FaceTracks;
import facefarm.worker.tracking.TrackSettings;
import facefarm.worker.tracking.TrackedFace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The face pipeline over a run of frames, without Kafka or S3: every decoded frame (context included) is analysed
 * (a few frames at a time, so their crops are batched) and goes into the face tracks; a frame is processed once the
 * frames after it that its tracks read are in, so the pipeline holds that many decoded frames. Faces are selected on
 * their tracks, the processors run on the frames to process, and only the owned frames go to the sink. Deterministic
 * for a deterministic chain, so a chunked render equals a one-pass render.
 */
public final class ChunkPipeline {
    private final FaceAnalyser analyser;
    private final FaceSelector selector;
    private final TrackSettings tracking;
    private final List<FrameProcessor> processors;
    private final int batchFrames;
    private TracksListener listener = (index, faces) -> { };

    /**
     * @param batchFrames frames analysed together, so their crops share model runs; 1 analyses frame by frame
     */
    public ChunkPipeline(FaceAnalyser analyser, FaceSelector selector, TrackSettings tracking, List<FrameProcessor> processors, int batchFrames) {
        this.analyser = analyser;
        this.selector = selector;
        this.tracking = tracking;
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

    /** Every tracked face of every frame to process, before selection. */
    public interface TracksListener {
        void frame(long index, List<TrackedFace> faces);
    }

    public ChunkPipeline listen(TracksListener tracksListener) {
        this.listener = tracksListener;
        return this;
    }

    /** Stage times of one run, in nanoseconds. */
    public static final class Timings {
        public long decodeNanos;
        public long processNanos;
        public long sinkNanos;
    }

    /**
     * @param processed the frames the processors run on: the owned ones and any context the chain's own state reads
     * @return the number of owned frames handed to the sink
     */
    public long run(FrameSource reader, FrameRange processed, FrameRange owned, FrameSink sink, LongConsumer progress, Timings timings) {
        FaceTracks tracks = new FaceTracks(tracking, selector.identities() > 0 ? selector : null);
        ArrayDeque<FrameReader.IndexedFrame> waiting = new ArrayDeque<>();
        long[] emitted = {0};
        boolean more = true;
        try {
            while (more) {
                long t0 = System.nanoTime();
                List<FrameReader.IndexedFrame> batch = new ArrayList<>(batchFrames);
                while (batch.size() < batchFrames) {
                    FrameReader.IndexedFrame frame = reader.next();
                    if (frame == null) {
                        more = false;
                        break;
                    }
                    batch.add(frame);
                }
                waiting.addAll(batch);
                long t1 = System.nanoTime();
                timings.decodeNanos += t1 - t0;
                if (!batch.isEmpty()) {
                    List<List<Face>> faces = analyser.analyse(batch.stream().map(FrameReader.IndexedFrame::image).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        tracks.add(batch.get(i).index(), faces.get(i));
                    }
                }
                timings.processNanos += System.nanoTime() - t1;
                while (!waiting.isEmpty() && tracks.ready(waiting.peekFirst().index(), !more)) {
                    FrameReader.IndexedFrame frame = waiting.pollFirst();
                    try {
                        process(tracks, frame, processed, owned, sink, timings, () -> progress.accept(++emitted[0]));
                    } finally {
                        frame.image().close();
                    }
                }
            }
        } finally {
            waiting.forEach(frame -> frame.image().close());
        }
        return emitted[0];
    }

    private void process(FaceTracks tracks, FrameReader.IndexedFrame frame, FrameRange processed, FrameRange owned, FrameSink sink, Timings timings,
                         Runnable emitted) {
        if (!processed.contains(frame.index())) {
            return;
        }
        long t0 = System.nanoTime();
        List<TrackedFace> tracked = tracks.resolve(frame.index());
        listener.frame(frame.index(), tracked);
        if (selector.mapsFaces()) {
            Map<Integer, List<Face>> bySource = new TreeMap<>();
            for (TrackedFace face : selector.select(tracked, TrackedFace::face, t -> true)) {
                if (face.mapping() >= 0) {
                    bySource.computeIfAbsent(selector.source(face.mapping()), s -> new ArrayList<>()).add(face.face());
                }
            }
            for (FrameProcessor processor : processors) {
                bySource.forEach((source, faces) -> processor.process(frame.index(), frame.image(), faces, source));
            }
        } else {
            List<Face> selected = selector.select(tracked, TrackedFace::face, TrackedFace::matchesReference).stream().map(TrackedFace::face).toList();
            for (FrameProcessor processor : processors) {
                processor.process(frame.index(), frame.image(), selected);
            }
        }
        long t1 = System.nanoTime();
        timings.processNanos += t1 - t0;
        if (owned.contains(frame.index())) {
            sink.accept(frame.index(), frame.image());
            emitted.run();
        }
        timings.sinkNanos += System.nanoTime() - t1;
    }
}
