package facefarm.coordinator.ingest;

import facefarm.models.ModelStore;
import facefarm.worker.analysis.FaceAnalyser;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** Counts faces in source images with the workers' own analysis, so a job without a usable face is refused at once. */
@ApplicationScoped
public class SourceFaces {
    private FaceAnalyser analyser;

    /** @return faces found, or -1 when the file is not an image */
    public synchronized int count(Path image) {
        try (Mat frame = opencv_imgcodecs.imread(image.toString())) {
            if (frame == null || frame.empty()) {
                return -1;
            }
            if (analyser == null) {
                analyser = FaceAnalyser.withDefaultDetector(ModelStore.fromEnvironment());
            }
            return analyser.analyse(frame).size();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (analyser != null) {
            analyser.close();
        }
    }
}
