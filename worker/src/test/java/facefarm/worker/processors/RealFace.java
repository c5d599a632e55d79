package facefarm.worker.processors;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.SharedFiles;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceDetection;
import facefarm.worker.analysis.OnnxFaceDetector;
import facefarm.worker.media.FrameReader;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/** The first frame of face_2.mp4 and its face as YuNet finds it: the real face the processor contract tests work on. */
record RealFace(Mat frame, Face face) {
    static RealFace firstFrameOfFace2() {
        try (FaceDetection detection = new FaceDetection(List.of(new OnnxFaceDetector(DetectorModel.YUNET,
                SharedFiles.modelsDir().resolve("face_detection_yunet_2023mar.onnx"), 640)), FaceDetection.Options.DEFAULT);
             FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST)) {
            Mat frame = reader.next().image();
            return new RealFace(frame, detection.detect(frame).get(0));
        }
    }
}
