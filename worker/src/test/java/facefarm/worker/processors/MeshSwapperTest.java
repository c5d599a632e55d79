package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.FaceRecognizer;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import facefarm.worker.media.FrameReader;
import facefarm.worker.processors.meshswap.MeshWarp;
import java.nio.ByteBuffer;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The open swapper on real footage: face_2.mp4 (a politician) swapped with astronaut.png (Eileen Collins), judged by
 * a face recogniser that took no part in the swap (MobileFaceNet).
 */
class MeshSwapperTest {

    private static FaceDetection detector() {
        return new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET, SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)),
                FaceDetection.Options.DEFAULT);
    }

    private static FaceMesh468 mesh() {
        return new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx"));
    }

    static MeshSwapper swapper(FaceDetection detection, MeshSwapper.Blend blend) {
        Mat source = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString());
        FaceMesh468 mesh = mesh();
        Face face = detection.detect(source).get(0);
        return new MeshSwapper(mesh, source, mesh.run(source, face).points(), blend);
    }

    @ParameterizedTest
    @EnumSource(MeshSwapper.Blend.class)
    void theSwappedFaceIsTheSourcesAndTheRestOfTheFrameIsUntouched(MeshSwapper.Blend blend) {
        try (FaceDetection detection = detector(); FaceMesh468 mesh = mesh();
             FaceRecognizer recognizer = new FaceRecognizer("mobilefacenet", SharedFiles.modelsDir().resolve("mobilefacenet_pixamatch.onnx"));
             MeshSwapper swapper = swapper(detection, blend);
             FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 125), Keyframe.FIRST);
             Mat sourceImage = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
            float[] source = recognizer.embed(sourceImage, detection.detect(sourceImage).get(0)).embeddingNorm();
            int frames = 0;
            int closerToSource = 0;
            double sumSource = 0;
            double sumTarget = 0;
            for (FrameReader.IndexedFrame next = reader.next(); next != null; next = reader.next()) {
                try (Mat frame = next.image(); Mat original = frame.clone()) {
                    List<Face> faces = detection.detect(frame);
                    assertEquals(1, faces.size(), "one face in frame " + next.index());
                    List<Point> hull = mesh.run(frame, faces.get(0)).points();
                    swapper.process(next.index(), frame, faces);
                    assertFarPixelsUnchanged(original, frame, hull, next.index());
                    List<Face> after = detection.detect(frame);
                    Face swappedFace = after.isEmpty() ? faces.get(0) : after.get(0);
                    float[] swapped = recognizer.embed(frame, swappedFace).embeddingNorm();
                    float[] target = recognizer.embed(original, faces.get(0)).embeddingNorm();
                    float toSource = FaceRecognizer.distance(swapped, source);
                    float toTarget = FaceRecognizer.distance(swapped, target);
                    sumSource += toSource;
                    sumTarget += toTarget;
                    frames++;
                    if (toSource < toTarget) {
                        closerToSource++;
                    }
                }
            }
            assertEquals(125, frames);
            String figures = String.format("%s: %d of %d frames closer to the source; mean distance to source %.3f, to target %.3f", blend.optionName(),
                    closerToSource, frames, sumSource / frames, sumTarget / frames);
            System.out.println(figures);
            assertTrue(closerToSource >= 0.9 * frames, figures);
        }
    }

    /** Every pixel more than a few pixels outside the face mesh's bounding box keeps its value exactly. */
    private static void assertFarPixelsUnchanged(Mat before, Mat after, List<Point> mesh, long index) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (Point p : mesh) {
            minX = Math.min(minX, p.x());
            minY = Math.min(minY, p.y());
            maxX = Math.max(maxX, p.x());
            maxY = Math.max(maxY, p.y());
        }
        float margin = 0.1f * (maxX - minX);
        int w = before.cols();
        byte[] a = new byte[(int) before.total() * 3];
        byte[] b = new byte[a.length];
        ((ByteBuffer) before.createBuffer()).get(a);
        ((ByteBuffer) after.createBuffer()).get(b);
        int changedInside = 0;
        for (int i = 0; i < a.length; i++) {
            int pixel = i / 3;
            int x = pixel % w;
            int y = pixel / w;
            boolean far = x < minX - margin || x > maxX + margin || y < minY - margin || y > maxY + margin;
            if (far) {
                assertEquals(a[i], b[i], "frame " + index + ": pixel (" + x + ", " + y + ") far from the face changed");
            } else if (a[i] != b[i]) {
                changedInside++;
            }
        }
        assertTrue(changedInside > 1000, "frame " + index + ": the face itself changed in only " + changedInside + " values");
    }

    @Test
    void anAffineMapTakesEachCornerOntoItsPartner() {
        Point a = new Point(10, 10);
        Point b = new Point(50, 12);
        Point c = new Point(20, 60);
        Point p = new Point(100, 200);
        Point q = new Point(180, 190);
        Point r = new Point(110, 300);
        double[] m = MeshWarp.affine(a, b, c, p, q, r);
        for (Point[] pair : new Point[][] {{a, p}, {b, q}, {c, r}}) {
            assertEquals(pair[1].x(), m[0] * pair[0].x() + m[1] * pair[0].y() + m[2], 1e-3);
            assertEquals(pair[1].y(), m[3] * pair[0].x() + m[4] * pair[0].y() + m[5], 1e-3);
        }
        assertEquals(null, MeshWarp.affine(a, a, c, p, q, r), "a degenerate triangle has no map");
    }

    @Test
    void theSourceMeshIsCoveredByTrianglesOverEveryPoint() {
        try (FaceDetection detection = detector(); FaceMesh468 mesh = mesh();
             Mat source = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString())) {
            List<Point> points = mesh.run(source, detection.detect(source).get(0)).points();
            int[][] triangles = MeshWarp.triangulate(points);
            boolean[] used = new boolean[points.size()];
            for (int[] t : triangles) {
                for (int v : t) {
                    used[v] = true;
                }
            }
            int unused = 0;
            for (boolean u : used) {
                unused += u ? 0 : 1;
            }
            // a planar triangulation of n points has about 2n triangles
            assertTrue(triangles.length > 800 && triangles.length < 940, triangles.length + " triangles");
            assertEquals(0, unused, "points left out of the triangulation");
        }
    }
}
