package facefarm.deploy.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.FaceMapping;
import facefarm.common.messaging.Messages;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.analysis.Box;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceAnalyser;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.analysis.Point;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoProbe;
import facefarm.worker.pipeline.ChunkPipeline;
import facefarm.worker.tracking.TrackSettings;
import facefarm.worker.tracking.TrackedFace;
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
    record Summary(long frames, long framesWithFaces, long faces, long tracks, double seconds) {
    }

    Summary run(Path input, AnalysisOptions requested, boolean embedding, Path json, ModelStore models) {
        return run(input, requested, embedding, json, models, List.of());
    }

    /** With a face map: every face is still reported, and each track says which entry (person) it matched. */
    Summary run(Path input, AnalysisOptions requested, boolean asksEmbedding, Path json, ModelStore models, List<FaceMapArgument.Entry> map) {
        boolean embedding = asksEmbedding || !map.isEmpty();
        List<String> problems = AnalysisSettings.problems(requested);
        if (!problems.isEmpty()) {
            throw new FarmCli.UsageException(String.join("; ", problems));
        }
        // analyse reports what detection found unless smoothing is asked for
        AnalysisOptions asked = requested == null ? AnalysisOptions.DEFAULTS : requested;
        AnalysisOptions options = AnalysisSettings.resolve(asked.smoothingWindow() == null ? asked.withSmoothingWindow(0) : asked, models);
        TrackSettings tracking = TrackSettings.of(options.smoothingWindow());
        err.println("farm: analysing " + input.getFileName() + " with detector " + options.faceDetectorModel() + " at " + options.faceDetectorSize()
                + ", landmarker " + options.faceLandmarkerModel() + (embedding ? ", arcface embeddings" : "")
                + (tracking.on() ? ", tracks smoothed over " + tracking.window() + " frame(s) each side" : ""));
        long started = System.nanoTime();
        long[] counts = new long[4];
        List<String> rows = new ArrayList<>();
        java.util.Map<Long, java.util.Map<String, Long>> matches = new java.util.TreeMap<>();
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
            ChunkPipeline.TracksListener report = (index, faces) -> {
                counts[0]++;
                counts[1] += faces.isEmpty() ? 0 : 1;
                counts[2] += faces.size();
                counts[3] = Math.max(counts[3], faces.stream().mapToLong(f -> f.track() + 1).max().orElse(0));
                if (writer != null) {
                    try {
                        writeFrame(writer, index, faces, tracking.on());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
                    }
                }
                for (int f = 0; f < faces.size() && rows.size() <= TABLE_ROWS; f++) {
                    rows.add(row(index, f, faces.get(f), tracking.on()));
                }
            };
            // the workers' own pipeline, batching and tracking included; every face is reported, whatever the job would select
            List<FaceMapping> people = mapped(analyser, input, options, map);
            FaceSelector everyFace = new FaceSelector(FaceSelector.Mode.MANY, FaceSelector.Order.byName(options.faceSelectorOrder()), null,
                    options.referenceFaceDistance(), people);
            ChunkPipeline.TracksListener count = report;
            report = (index, faces) -> {
                count.frame(index, faces);
                faces.stream().filter(f -> f.mapping() >= 0).forEach(f -> matches.computeIfAbsent(f.track(), t -> new java.util.TreeMap<>())
                        .merge(map.get(f.mapping()).source() + " (" + map.get(f.mapping()).reference() + ")", 1L, Long::sum));
            };
            FrameRange all = new FrameRange(0, Long.MAX_VALUE);
            new ChunkPipeline(analyser, everyFace, tracking, List.of(), OrtRuntime.batchSize()).listen(report)
                    .run(source::next, all, all, (index, frame) -> { }, done -> { }, new ChunkPipeline.Timings());
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
        out.printf(Locale.ROOT, "%6s %4s %5s %-27s %6s %6s %s%n", "frame", "face", "track", "box x1,y1,x2,y2", "score", "lmk",
                tracking.on() ? "left eye -> smoothed" : "left eye");
        rows.stream().limit(TABLE_ROWS).forEach(out::println);
        if (rows.size() > TABLE_ROWS) {
            out.println("   ... more faces" + (json == null ? " (write them all with --json FILE)" : " in " + json));
        }
        out.printf(Locale.ROOT, "%d frame(s), %d with faces, %d face(s) on %d track(s) in %.1f s (%.1f frames/s)%s%n", frames, withFaces, faces,
                counts[3], seconds, frames / Math.max(seconds, 1e-9), json == null ? "" : " -> " + json);
        if (!map.isEmpty()) {
            for (long track = 0; track < counts[3]; track++) {
                java.util.Map<String, Long> matched = matches.getOrDefault(track, java.util.Map.of());
                out.println("track " + track + ": " + (matched.isEmpty() ? "matches no face map entry (left untouched)"
                        : matched.entrySet().stream().map(e -> "matches " + e.getKey() + " on " + e.getValue() + " frame(s)")
                        .collect(java.util.stream.Collectors.joining(", "))));
            }
        }
        return new Summary(frames, withFaces, faces, counts[3], seconds);
    }

    /** Each entry's person, identified on its frame of the input as a job's ingest does. */
    private static List<FaceMapping> mapped(FaceAnalyser analyser, Path input, AnalysisOptions options, List<FaceMapArgument.Entry> map) {
        List<FaceMapping> people = new ArrayList<>();
        for (int i = 0; i < map.size(); i++) {
            FaceMapArgument.Entry entry = map.get(i);
            if (entry.photo() != null) {
                try (org.bytedeco.opencv.opencv_core.Mat photo = org.bytedeco.opencv.global.opencv_imgcodecs.imread(entry.photo().toString())) {
                    Face face = photo == null || photo.empty() ? null : FaceSelector.at(analyser.analyse(photo), FaceSelector.Order.LARGE_SMALL, 0);
                    if (face == null) {
                        throw new FarmCli.UsageException("--face-map " + entry.photo() + ": no face found in the photo (or it is not an image)");
                    }
                    people.add(new FaceMapping(null, null, null, i, face.embeddingNorm()));
                }
                continue;
            }
            List<Face> faces = List.of();
            try (Frames frames = Frames.open(input)) {
                for (FrameReader.IndexedFrame frame = frames.next(); frame != null; frame = frames.next()) {
                    try (org.bytedeco.opencv.opencv_core.Mat image = frame.image()) {
                        if (frame.index() == entry.frame()) {
                            faces = analyser.analyse(image);
                            break;
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + input + ": " + e.getMessage(), e);
            }
            List<Face> ordered = FaceSelector.sorted(faces, FaceSelector.Order.byName(options.faceSelectorOrder()));
            if (entry.position() >= ordered.size()) {
                throw new FarmCli.UsageException("--face-map " + entry.frame() + ":" + entry.position() + "=" + entry.source() + ": frame " + entry.frame()
                        + " has " + ordered.size() + " face(s), numbered from 0 in " + options.faceSelectorOrder() + " order");
            }
            people.add(new FaceMapping(entry.frame(), entry.position(), i).withEmbedding(ordered.get(entry.position()).embeddingNorm()));
        }
        return people;
    }

    private static OutputStream open(Path json) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new FarmCli.UsageException("the folder of --json, " + parent + ", does not exist");
        }
        return Files.newOutputStream(json);
    }

    private static String row(long index, int position, TrackedFace tracked, boolean smoothed) {
        Face face = tracked.raw();
        Point eye = face.landmark5().get(0);
        Point smoothEye = tracked.face().landmark5().get(0);
        return String.format(Locale.ROOT, "%6d %4d %5d %-27s %6s %6s %.1f,%.1f%s", index, position, tracked.track(),
                String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()),
                tracked.interpolated() ? "filled" : String.format(Locale.ROOT, "%.3f", face.score()),
                face.landmark68() != null && face.landmarkScore() > 0 ? String.format(Locale.ROOT, "%.3f", face.landmarkScore()) : "-", eye.x(), eye.y(),
                smoothed ? String.format(Locale.ROOT, " -> %.1f,%.1f", smoothEye.x(), smoothEye.y()) : "");
    }

    private static void writeFrame(JsonGenerator w, long index, List<TrackedFace> faces, boolean smoothed) throws IOException {
        w.writeStartObject();
        w.writeNumberField("index", index);
        w.writeArrayFieldStart("faces");
        for (TrackedFace tracked : faces) {
            Face face = tracked.raw();
            w.writeStartObject();
            w.writeNumberField("track", tracked.track());
            w.writeBooleanField("interpolated", tracked.interpolated());
            writeBox(w, face.box());
            w.writeNumberField("score", face.score());
            writePoints(w, "landmark5", face.landmark5());
            if (face.landmark68() != null) {
                writePoints(w, "landmark68", face.landmark68());
                w.writeNumberField("landmarkScore", face.landmarkScore());
            }
            writePoints(w, "alignment", face.alignment());
            if (tracked.mapping() >= 0) {
                w.writeNumberField("faceMapEntry", tracked.mapping());
            }
            if (face.embedding() != null) {
                writeVector(w, "embedding", face.embedding());
                writeVector(w, "embeddingNorm", face.embeddingNorm());
            }
            if (smoothed) {
                Face smooth = tracked.face();
                w.writeObjectFieldStart("smoothed");
                writeBox(w, smooth.box());
                writePoints(w, "landmark5", smooth.landmark5());
                if (smooth.landmark68() != null) {
                    writePoints(w, "landmark68", smooth.landmark68());
                }
                writePoints(w, "alignment", smooth.alignment());
                w.writeEndObject();
            }
            w.writeEndObject();
        }
        w.writeEndArray();
        w.writeEndObject();
    }

    private static void writeBox(JsonGenerator w, Box box) throws IOException {
        w.writeArrayFieldStart("box");
        w.writeNumber(box.x1());
        w.writeNumber(box.y1());
        w.writeNumber(box.x2());
        w.writeNumber(box.y2());
        w.writeEndArray();
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
