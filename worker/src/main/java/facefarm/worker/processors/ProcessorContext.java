package facefarm.worker.processors;

import facefarm.common.jobs.ProcessorOptions;
import facefarm.models.ModelStore;
import facefarm.worker.analysis.Face;
import facefarm.worker.audio.MelWindows;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What a job's processors are built from: the model store, the job's resolved processor options, and its source
 * faces (each source image with its first face, analysed like the target's faces), and the mel windows of the job's
 * audio when it has one (null otherwise). The images stay owned by the caller; a processor that keeps one clones it.
 */
public record ProcessorContext(ModelStore models, ProcessorOptions options, List<SourceFace> sources, MelWindows voice) {
    public record SourceFace(Mat image, Face face) {
    }

    public ProcessorContext {
        sources = List.copyOf(sources);
    }

    public ProcessorContext(ModelStore models, ProcessorOptions options, List<SourceFace> sources) {
        this(models, options, sources, null);
    }

    public SourceFace firstSource() {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no face found in any source image: give the job a clear, frontal photo of the source face");
        }
        return sources.get(0);
    }
}
