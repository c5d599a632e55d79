package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.FaceMapping;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.jobs.VideoEncoding;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.cli.FarmCli;
import facefarm.deploy.cli.Uploader;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.media.ChunkEncoder;
import facefarm.worker.media.FrameReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source per person, on the real farm: three speakers side by side in one frame (face_1, face_2 and face_4), the
 * first mapped to astronaut.png and the second to happy.png by a reference face in frame 0. Each is swapped to their
 * own source, the third is untouched, and a render in 3 chunks equals the one-chunk render frame for frame; a photo of
 * the second person names them as well as a frame and position does. An
 * identity model with ArcFace's contract (MobileFaceNet, the real weights here) stands in for arcface_w600k_r50.
 */
class FaceMapTest {
    private static final int SIDE = 320;
    private static final int FRAMES = 40;

    @TempDir
    Path dir;

    @Test
    void eachPersonGetsTheirOwnSourceAndOthersAreUntouched() throws Exception {
        Path arcface = Files.createDirectories(dir.resolve("arcface"));
        Files.copy(SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"), arcface.resolve("arcface_w600k_r50.onnx"));
        Path target = threePeople(dir.resolve("three.mkv"));
        Path astronaut = SharedFiles.media("astronaut.png");
        Path happy = SharedFiles.media("happy.png");

        // ./farm analyse says which track is which person before anything is rendered
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ModelStore models = new ModelStore(ModelManifest.bundled(), List.of(SharedFiles.modelsDir(), arcface), dir.resolve("cache"), false,
                Set.of("arcface_w600k_r50"));
        Path photo = middlePersonPhoto(target, dir.resolve("politician.jpg"));
        int code = FarmCli.analyse(new String[] {"analyse", "--input", target.toString(), "--face-selector-order", "left-right", "--face-map",
                "0:0=astronaut", "--face-map", photo + "=happy"}, new PrintStream(printed, true, StandardCharsets.UTF_8), System.err, models);
        String report = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report);
        assertTrue(report.contains("track 0: matches astronaut (0:0) on " + FRAMES + " frame(s)"), report);
        assertTrue(report.contains("track 1: matches happy (politician.jpg) on " + FRAMES + " frame(s)"), report);
        assertTrue(report.contains("track 2: matches no face map entry (left untouched)"), report);

        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 2).withEnv(Map.of(
                "FARM_MODEL_PATH", SharedFiles.modelsDir() + ":" + arcface, "FARM_OFFLINE", "1", "FARM_ACCEPT_LICENSES", "arcface_w600k_r50")).withEnv(Videos.UNMARKED);
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { })) {
            CoordinatorClient client = farm.client();
            AnalysisOptions map = new AnalysisOptions(null, null, null, null, null, null, null, null, null, "left-right", null, null, null, null,
                    List.of(new FaceMapping(0, 0, 0), new FaceMapping(0, 1, 1)));
            JobStatus chunked = client.follow(client.submit(target, List.of(astronaut, happy),
                    new JobOptions(List.of("mesh_swapper"), 16, "mkv", map)).id(), s -> { });
            assertEquals(JobState.DONE, chunked.state(), chunked.error());
            assertEquals(3, chunked.chunksTotal());
            assertEquals(List.of("0:0=0", "0:1=1"), chunked.analysis().faceMap().stream().map(FaceMapping::label).toList(), "the status shows the map");
            assertTrue(chunked.analysis().faceMap().stream().allMatch(m -> m.referenceEmbedding() == null), "but not the people's identity vectors");
            JobStatus whole = client.follow(client.submit(target, List.of(astronaut, happy),
                    new JobOptions(List.of("mesh_swapper"), FRAMES, "mkv", map)).id(), s -> { });
            assertEquals(JobState.DONE, whole.state(), whole.error());
            Path chunkedOut = dir.resolve("chunked.mkv");
            Path wholeOut = dir.resolve("whole.mkv");
            client.download(chunked.id(), chunkedOut);
            client.download(whole.id(), wholeOut);

            List<byte[]> a = Videos.frames(chunkedOut);
            List<byte[]> b = Videos.frames(wholeOut);
            assertEquals(FRAMES, a.size());
            for (int i = 0; i < FRAMES; i++) {
                assertArrayEquals(b.get(i), a.get(i), "frame " + i + ": the chunked render equals the one-chunk render");
            }
            assertEachPersonSwappedToTheirOwn(target, chunkedOut, astronaut, happy);

            // the second person named by a photo of them (a still of a later frame) instead of a frame and position
            Uploader uploader = new Uploader(client);
            InputFile photoFile = uploader.upload(photo, n -> { });
            JobStatus byPhoto = client.follow(client.submit(new JobSubmission(uploader.upload(target, n -> { }),
                    List.of(uploader.upload(astronaut, n -> { }), uploader.upload(happy, n -> { })), null,
                    new JobOptions(List.of("mesh_swapper"), 16, "mkv", map.withFaceMap(List.of(new FaceMapping(0, 0, 0), new FaceMapping(photoFile, 1)))))).id(),
                    s -> { });
            assertEquals(JobState.DONE, byPhoto.state(), byPhoto.error());
            assertEquals(List.of("0:0=0", "politician.jpg=1"), byPhoto.analysis().faceMap().stream().map(FaceMapping::label).toList());
            Path byPhotoOut = dir.resolve("by-photo.mkv");
            client.download(byPhoto.id(), byPhotoOut);
            assertEachPersonSwappedToTheirOwn(target, byPhotoOut, astronaut, happy);
            // a photo with no face in it fails the job's checks, naming the entry
            Path wall = dir.resolve("wall.png");
            try (Mat grey = new Mat(200, 200, opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(128, 128, 128, 0))) {
                opencv_imgcodecs.imwrite(wall.toString(), grey);
            }
            JobStatus faceless = client.follow(client.submit(new JobSubmission(uploader.upload(target, n -> { }),
                    List.of(uploader.upload(astronaut, n -> { })), null, new JobOptions(List.of("mesh_swapper"), 16, "mkv",
                            map.withFaceMap(List.of(new FaceMapping(uploader.upload(wall, n -> { }), 0)))))).id(), s -> { });
            assertEquals(JobState.FAILED, faceless.state());
            assertEquals(422, faceless.failure().status(), faceless.failure().toString());
            assertTrue(faceless.failure().message().contains("no face found in reference photo 'wall.png' of face map entry wall.png=0"),
                    faceless.failure().message());

            // a map naming a source the job does not have is refused before anything runs
            AnalysisOptions wrong = map.withFaceMap(List.of(new FaceMapping(0, 0, 2)));
            CoordinatorClient.ApiException e = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.submit(target, List.of(astronaut, happy), new JobOptions(List.of("mesh_swapper"), 16, "mkv", wrong)));
            assertEquals(400, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("face map entry 0:0=2 names source 2, but the job has 2 source image(s)"), e.getMessage());
            // a reference position with no face there fails the job's checks, saying what to pick
            JobStatus nobody = client.follow(client.submit(target, List.of(astronaut, happy), new JobOptions(List.of("mesh_swapper"), 16, "mkv",
                    map.withFaceMap(List.of(new FaceMapping(0, 5, 0))))).id(), s -> { });
            assertEquals(JobState.FAILED, nobody.state());
            assertEquals(422, nobody.failure().status(), nobody.failure().toString());
            assertTrue(nobody.failure().message().contains("has 3 face(s) in left-right order"), nobody.failure().message());
        }
    }

    /** Left: the astronaut, not happy.png; middle: happy.png, not the astronaut; right: every pixel as it was. */
    private static void assertEachPersonSwappedToTheirOwn(Path target, Path output, Path astronaut, Path happy) {
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"));
             FrameReader before = new FrameReader(target, new FrameRange(0, FRAMES), Keyframe.FIRST);
             FrameReader after = new FrameReader(output, new FrameRange(0, FRAMES), Keyframe.FIRST)) {
            float[] first = identity(detection, recognizer, astronaut);
            float[] second = identity(detection, recognizer, happy);
            int frames = 0;
            for (FrameReader.IndexedFrame b = before.next(), a = after.next(); b != null && a != null; b = before.next(), a = after.next()) {
                try (Mat original = b.image(); Mat swapped = a.image()) {
                    List<Face> faces = FaceSelector.sorted(detection.detect(original), FaceSelector.Order.LEFT_RIGHT);
                    assertEquals(3, faces.size(), "three people in frame " + b.index());
                    float[] left = recognizer.embed(swapped, faces.get(0)).embeddingNorm();
                    float[] middle = recognizer.embed(swapped, faces.get(1)).embeddingNorm();
                    String at = "frame " + b.index() + ": ";
                    assertTrue(FaceRecognizer.distance(left, first) < FaceRecognizer.distance(left, second), at + "the left person has the astronaut's face");
                    assertTrue(FaceRecognizer.distance(middle, second) < FaceRecognizer.distance(middle, first), at + "the middle person has happy.png's");
                    assertTrue(FaceRecognizer.distance(left, first) < FaceRecognizer.distance(left, recognizer.embed(original, faces.get(0)).embeddingNorm()),
                            at + "the left person is closer to the astronaut than to himself");
                    try (Mat rightBefore = new Mat(original, new Rect(2 * SIDE, 0, SIDE, SIDE)); Mat rightAfter = new Mat(swapped, new Rect(2 * SIDE, 0, SIDE, SIDE));
                         Mat diff = new Mat()) {
                        opencv_core.absdiff(rightBefore, rightAfter, diff);
                        assertEquals(0, opencv_core.countNonZero(diff.reshape(1, 0)), at + "the unmapped person is untouched");
                    }
                    frames++;
                }
            }
            assertEquals(FRAMES, frames);
        }
    }

    /** The middle person's third of the clip's last frame, as a photo of them. */
    private static Path middlePersonPhoto(Path target, Path out) {
        try (FrameReader reader = new FrameReader(target, new FrameRange(FRAMES - 1, FRAMES), Keyframe.FIRST)) {
            FrameReader.IndexedFrame last = reader.next();
            try (Mat frame = last.image(); Mat middle = new Mat(frame, new Rect(SIDE, 0, SIDE, SIDE))) {
                opencv_imgcodecs.imwrite(out.toString(), middle);
            }
        }
        return out;
    }

    private static float[] identity(FaceDetection detection, FaceRecognizer recognizer, Path image) {
        try (Mat photo = opencv_imgcodecs.imread(image.toString())) {
            return recognizer.embed(photo, detection.detect(photo).get(0)).embeddingNorm();
        }
    }

    /** face_1, face_2 and face_4, each scaled to 320 px, side by side: a lossless 960x320 clip of 40 frames. */
    private static Path threePeople(Path out) {
        List<FrameReader> readers = new ArrayList<>();
        try (ChunkEncoder writer = new ChunkEncoder(out, 3 * SIDE, SIDE, 25, 1, new VideoEncoding("mkv", 0))) {
            for (String clip : List.of("face_1.mp4", "face_2.mp4", "face_4.mp4")) {
                readers.add(new FrameReader(SharedFiles.media(clip), new FrameRange(0, FRAMES), Keyframe.FIRST));
            }
            for (int i = 0; i < FRAMES; i++) {
                List<Mat> parts = new ArrayList<>();
                for (FrameReader reader : readers) {
                    try (Mat image = reader.next().image()) {
                        Mat part = new Mat();
                        opencv_imgproc.resize(image, part, new Size(SIDE, SIDE));
                        parts.add(part);
                    }
                }
                try (MatVector row = new MatVector(parts.toArray(Mat[]::new)); Mat frame = new Mat()) {
                    opencv_core.hconcat(row, frame);
                    writer.write(frame);
                }
                parts.forEach(Mat::close);
            }
            writer.finish();
        } finally {
            readers.forEach(FrameReader::close);
        }
        return out;
    }
}
