package facefarm.deploy.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.messaging.Messages;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.pipeline.ChunkPipeline;
import facefarm.worker.processors.FrameProcessor;
import facefarm.worker.analysis.Point;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * ./farm analyse: the workers' face analysis on an image or a video, in this process. Every frame's faces go to the
 * JSON file as they are found (so long videos need no memory), and a short table goes to the terminal.
 */
final class AnalyseCommand {
    /** Rows of the terminal table; the JSON has them all. */
    static final int TABLE_ROWS = 12;

    private final PrintStream out;
    private final PrintStream err;

    AnalyseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Counts of one run, for the summary line and tests. */
    record Summary(long frames, long framesWithFaces, long faces, double seconds) {
    }

    Summary run(Path input, AnalysisOptions requested, boolean embedding, Path json, ModelStore models) {
        List<String> problems = AnalysisSettings.problems(requested);
        if (!problems.isEmpty()) {
            throw new FarmCli.UsageException(String.join("; ", problems));
        }
        AnalysisOptions options = AnalysisSettings.resolve(requested, models);
        err.println("farm: analysing " + input.getFileName() + " with detector " + options.faceDetectorModel() + " at " + options.faceDetectorSize()
                + ", landmarker " + options.faceLandmarkerModel() + (embedding ? ", arcface embeddings" : ""));
        long started = System.nanoTime();
        long[] counts = new long[3];
        List<String> rows = new ArrayList<>();
        try (FaceAnalyser analyser = FaceAnalyser.create(options, models, embedding);
             Frames source = Frames.open(input);
             JsonGenerator writer = json == null ? null : Messages.JSON.getFactory().createGenerator(open(json), JsonEncoding.UTF8)) {
            if (writer != null) {
                writer.writeStartObject();
                writer.writeStringField("input", input.toString());
                writer.writeFieldName("options");
                Messages.JSON.writeValue(writer, options);
                writer.writeArrayFieldStart("frames");
            }
            FrameProcessor report = new FrameProcessor() {
                @Override
                public String name() {
                    return "analyse";
                }

                @Override
                public void process(long index, Mat frame, List<Face> faces) {
                    counts[0]++;
                    counts[1] += faces.isEmpty() ? 0 : 1;
                    counts[2] += faces.size();
                    if (writer != null) {
                        try {
                            writeFrame(writer, index, faces);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
                        }
                    }
                    for (int f = 0; f < faces.size() && rows.size() <= TABLE_ROWS; f++) {
                        rows.add(row(index, f, faces.get(f)));
                    }
                }
            };
            // the workers' own pipeline, batching included; every face is reported, whatever the job would select
            FaceSelector everyFace = new FaceSelector(FaceSelector.Mode.MANY, FaceSelector.Order.byName(options.faceSelectorOrder()), null, 0);
            new ChunkPipeline(analyser, everyFace, List.of(report), OrtRuntime.batchSize())
                    .run(source::next, new FrameRange(0, Long.MAX_VALUE), (index, frame) -> { }, done -> { }, new ChunkPipeline.Timings());
            if (writer != null) {
                writer.writeEndArray();
                writer.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
        }
        long frames = counts[0];
        long withFaces = counts[1];
        long faces = counts[2];
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "%6s %4s %-27s %6s %6s %s%n", "frame", "face", "box x1,y1,x2,y2", "score", "lmk", "left eye");
        rows.stream().limit(TABLE_ROWS).forEach(out::println);
        if (rows.size() > TABLE_ROWS) {
            out.println("   ... more faces" + (json == null ? " (write them all with --json FILE)" : " in " + json));
        }
        out.printf(Locale.ROOT, "%d frame(s), %d with faces, %d face(s) in %.1f s (%.1f frames/s)%s%n", frames, withFaces, faces, seconds,
                frames / Math.max(seconds, 1e-9), json == null ? "" : " -> " + json);
        return new Summary(frames, withFaces, faces, seconds);
    }

    private static OutputStream open(Path json) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new FarmCli.UsageException("the folder of --json, " + parent + ", does not exist");
        }
        return Files.newOutputStream(json);
    }

    private static String row(long index, int position, Face face) {
        Point eye = face.landmark5().get(0);
        return String.format(Locale.ROOT, "%6d %4d %-27s %6.3f %6s %.1f,%.1f", index, position,
                String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()), face.score(),
                face.landmark68() != null && face.landmarkScore() > 0 ? String.format(Locale.ROOT, "%.3f", face.landmarkScore()) : "-", eye.x(), eye.y());
    }

    private static void writeFrame(JsonGenerator w, long index, List<Face> faces) throws IOException {
        w.writeStartObject();
        w.writeNumberField("index", index);
        w.writeArrayFieldStart("faces");
        for (Face face : faces) {
            w.writeStartObject();
            w.writeArrayFieldStart("box");
            w.writeNumber(face.box().x1());
            w.writeNumber(face.box().y1());
            w.writeNumber(face.box().x2());
            w.writeNumber(face.box().y2());
            w.writeEndArray();
            w.writeNumberField("score", face.score());
            writePoints(w, "landmark5", face.landmark5());
            if (face.landmark68() != null) {
                writePoints(w, "landmark68", face.landmark68());
                w.writeNumberField("landmarkScore", face.landmarkScore());
            }
            writePoints(w, "alignment", face.alignment());
            if (face.embedding() != null) {
                writeVector(w, "embedding", face.embedding());
                writeVector(w, "embeddingNorm", face.embeddingNorm());
            }
            w.writeEndObject();
        }
        w.writeEndArray();
        w.writeEndObject();
    }

    private static void writePoints(JsonGenerator w, String name, List<Point> points) throws IOException {
        w.writeArrayFieldStart(name);
        for (Point p : points) {
            w.writeStartArray();
            w.writeNumber(p.x());
            w.writeNumber(p.y());
            w.writeEndArray();
        }
        w.writeEndArray();
    }

    private static void writeVector(JsonGenerator w, String name, float[] values) throws IOException {
        w.writeArrayFieldStart(name);
        for (float v : values) {
            w.writeNumber(v);
        }
        w.writeEndArray();
    }

    /** The frames of an image (one) or of a video (all, in order). */
    private interface Frames extends AutoCloseable {
        FrameReader.IndexedFrame next();

        @Override
        void close();

        static Frames open(Path input) {
            if (opencv_imgcodecs.haveImageReader(input.toString())) {
                Mat image = opencv_imgcodecs.imread(input.toString());
                if (image != null && !image.empty()) {
                    checkSize(input, image);
                    return new Frames() {
                        private Mat pending = image;

                        @Override
                        public FrameReader.IndexedFrame next() {
                            Mat frame = pending;
                            pending = null;
                            return frame == null ? null : new FrameReader.IndexedFrame(0, frame);
                        }

                        @Override
                        public void close() {
                            if (pending != null) {
                                pending.close();
                            }
                        }
                    };
                }
            }
            FrameReader reader;
            try {
                reader = new FrameReader(input, new FrameRange(0, Long.MAX_VALUE), Keyframe.FIRST);
            } catch (MediaException e) {
                throw new FarmCli.UsageException(input + " is neither an image nor a video the farm can decode (" + e.getMessage() + ")");
            }
            return new Frames() {
                private boolean checked;

                @Override
                public FrameReader.IndexedFrame next() {
                    FrameReader.IndexedFrame frame = reader.next();
                    if (frame != null && !checked) {
                        checked = true;
                        checkSize(input, frame.image());
                    }
                    return frame;
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }

        private static void checkSize(Path input, Mat frame) {
            if ((long) frame.cols() * frame.rows() > VideoProbe.MAX_PIXELS) {
                frame.close();
                throw new FarmCli.UsageException(input + " is " + frame.cols() + "x" + frame.rows() + ", larger than the farm accepts (8K, 7680x4320): "
                        + "scale it down first");
            }
        }
    }
}
