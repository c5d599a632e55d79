package facefarm.worker;

import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.analysis.Point;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** A real photo and its face's 468 mesh points (YuNet, then FaceMesh): the fixture of the mesh swap's parts. */
public record MeshedFace(Mat image, List<Point> points) implements AutoCloseable {

    /** astronaut.png, the best source face of ../shared/media. */
    public static MeshedFace astronaut() {
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FaceMesh468 mesh = new FaceMesh468(SharedFiles.modelsDir().resolve("mediapipe_face_landmark_barracuda.onnx"))) {
            Mat image = opencv_imgcodecs.imread(SharedFiles.media("astronaut.png").toString());
            return new MeshedFace(image, mesh.run(image, detection.detect(image).get(0)).points());
        }
    }

    @Override
    public void close() {
        image.close();
    }
}
