package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.messaging.Messages;
import facefarm.deploy.cli.FarmCli;
import facefarm.models.ModelManifest;
import facefarm.models.ModelNotFoundException;
import facefarm.models.ModelStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.VideoProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./farm analyse on real media and real models: the JSON other tools read, the table, and its errors. */
class AnalyseCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ModelStore sharedModels(Path... more) {
        List<Path> path = new java.util.ArrayList<>(List.of(SharedFiles.modelsDir()));
        path.addAll(List.of(more));
        return new ModelStore(ModelManifest.bundled(), path, dir.resolve("cache"), false, Set.of());
    }

    private JsonNode analyse(Path input, List<String> args, ModelStore models) throws Exception {
        Path json = dir.resolve(input.getFileName() + ".json");
        List<String> all = new java.util.ArrayList<>(List.of("analyse", "--input", input.toString(), "--json", json.toString()));
        all.addAll(args);
        int code = FarmCli.analyse(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), models);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return Messages.JSON.readTree(json.toFile());
    }

    @Test
    void everyFrameOfAVideoHasItsFaceWithBoxScoreAndPoints() throws Exception {
        Path video = SharedFiles.media("face_4.mp4");
        JsonNode result = analyse(video, List.of("--detector", "scrfd", "--accept-license", "scrfd_2.5g"), sharedModels());
        long frames = VideoProbe.probe(video).frames();
        assertEquals(frames, result.path("frames").size());
        for (int i = 0; i < frames; i++) {
            JsonNode frame = result.path("frames").get(i);
            assertEquals(i, frame.path("index").asInt());
            assertEquals(1, frame.path("faces").size(), "frame " + i);
            JsonNode face = frame.path("faces").get(0);
            JsonNode box = face.path("box");
            assertEquals(4, box.size());
            assertTrue(box.get(0).asDouble() < box.get(2).asDouble() && box.get(1).asDouble() < box.get(3).asDouble());
            assertTrue(face.path("score").asDouble() >= 0.5);
            assertEquals(5, face.path("landmark5").size());
            JsonNode eye = face.path("landmark5").get(0);
            assertTrue(eye.get(0).asDouble() > box.get(0).asDouble() && eye.get(0).asDouble() < box.get(2).asDouble(), "eye inside the box");
            assertTrue(face.path("landmark68").isMissingNode(), "no landmarker is installed here");
            assertTrue(face.path("embedding").isMissingNode(), "no --embedding");
            assertEquals(0, face.path("track").asInt(), "one face, one track, frame " + i);
            assertTrue(face.path("smoothed").isMissingNode(), "no --smoothing-window: what detection found");
        }
        assertEquals("scrfd", result.path("options").path("faceDetectorModel").asText());
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains(frames + " frame(s), " + frames + " with faces, " + frames + " face(s) on 1 track(s)"), table);
        assertTrue(table.lines().filter(l -> l.matches("\\s+\\d+\\s+0 .*")).count() == 12, "a short table: " + table);
    }

    @Test
    void withASmoothingWindowEveryFaceHasItsTrackAndItsSmoothedPoints() throws Exception {
        Path video = SharedFiles.media("face_2.mp4");
        JsonNode result = analyse(video, List.of("--smoothing-window", "3"), sharedModels());
        assertEquals(3, result.path("options").path("smoothingWindow").asInt());
        double moved = 0;
        int points = 0;
        for (JsonNode frame : result.path("frames")) {
            JsonNode face = frame.path("faces").get(0);
            assertEquals(0, face.path("track").asInt());
            assertTrue(!face.path("interpolated").asBoolean(), "face_2 has its face in every frame");
            JsonNode smoothed = face.path("smoothed");
            assertEquals(5, smoothed.path("landmark5").size(), "frame " + frame.path("index"));
            assertEquals(4, smoothed.path("box").size());
            for (int p = 0; p < 5; p++) {
                JsonNode raw = face.path("landmark5").get(p);
                JsonNode smooth = smoothed.path("landmark5").get(p);
                moved += Math.hypot(raw.get(0).asDouble() - smooth.get(0).asDouble(), raw.get(1).asDouble() - smooth.get(1).asDouble());
                points++;
            }
        }
        assertTrue(moved > 0, "smoothing moved the points");
        assertTrue(moved / points < 2, "by less than 2 px on average: " + moved / points);
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("left eye -> smoothed"), table);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("tracks smoothed over 3 frame(s) each side"), err.toString(StandardCharsets.UTF_8));

        assertEquals(2, FarmCli.analyse(new String[] {"analyse", "--input", video.toString(), "--smoothing-window", "40"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), sharedModels()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("smoothing window must be between 0 (off) and 12 frames each side, got 40"));
    }

    @Test
    void anImageWithSeveralFacesAndEmbeddingsWithAnArcfaceShapedModel() throws Exception {
        // no ArcFace weights here: MobileFaceNet has the same contract (arcface_112_v2 crop, 112x112 RGB, x/127.5-1)
        Path arcface = Files.createDirectories(dir.resolve("arcface"));
        Files.copy(SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"), arcface.resolve("arcface_w600k_r50.onnx"));
        JsonNode result = analyse(SharedFiles.media("messi5.jpg"), List.of("--face-detector-score", "0.25", "--embedding",
                "--accept-license", "arcface_w600k_r50"), sharedModels(arcface));
        assertEquals(1, result.path("frames").size());
        JsonNode faces = result.path("frames").get(0).path("faces");
        assertTrue(faces.size() >= 2, faces.toString());
        for (JsonNode face : faces) {
            assertEquals(128, face.path("embedding").size());
            double norm = 0;
            for (JsonNode v : face.path("embeddingNorm")) {
                norm += v.asDouble() * v.asDouble();
            }
            assertEquals(1, norm, 1e-4);
        }
    }

    @Test
    void aFacelessImageHasNoFacesAndBadInputSaysWhatToDo() throws Exception {
        Path wall = dir.resolve("wall.png");
        org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(wall.toString(),
                new org.bytedeco.opencv.opencv_core.Mat(200, 300, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                        new org.bytedeco.opencv.opencv_core.Scalar(90, 120, 150, 0)));
        assertEquals(0, analyse(wall, List.of(), sharedModels()).path("frames").get(0).path("faces").size());

        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        assertEquals(2, FarmCli.analyse(new String[] {"analyse", "--input", text.toString()}, o, e, sharedModels()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is neither an image nor a video"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, FarmCli.analyse(new String[] {"analyse", "--input", wall.toString(), "--detector", "dlib"}, o, e, sharedModels()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown face detector 'dlib'"));
        assertEquals(1, FarmCli.analyse(new String[] {"analyse", "--input", wall.toString(), "--landmarker", "2dfan4"}, o, e, sharedModels()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("model '2dfan4' (2dfan4.onnx) is not in FARM_MODEL_PATH"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, FarmCli.analyse(new String[] {"analyse", "--input", wall.toString(), "--detector", "scrfd"}, o, e, sharedModels()), "licence");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--accept-license scrfd_2.5g"), err.toString(StandardCharsets.UTF_8));
        assertThrows(ModelNotFoundException.class, () -> sharedModels().resolve("2dfan4"));
    }

    @Test
    void faceFusionsOptionNamesParse() {
        AnalysisOptions options = FarmCli.analysisOptions("--face-detector-model", "scrfd", "--face-detector-size", "320x320", "--face-detector-margin",
                "10,0,10,0", "--face-detector-angles", "0 90", "--face-detector-score", "0.4", "--face-landmarker-model", "peppa_wutz",
                "--face-landmarker-score", "0.6", "--face-selector-mode", "one", "--face-selector-order", "best-worst", "--reference-face-position", "1",
                "--reference-face-distance", "0.25", "--reference-frame-number", "12", "--smoothing-window", "5");
        assertEquals(new AnalysisOptions("scrfd", 320, List.of(10, 0, 10, 0), List.of(0, 90), 0.4f, "peppa_wutz", 0.6f, null, "one", "best-worst",
                1, 0.25f, 12L, 5), options);
        assertEquals(AnalysisOptions.DEFAULTS, FarmCli.analysisOptions());
    }
}
