package facefarm.common.jobs;

import facefarm.common.planning.ChunkPlan;
import java.util.List;

/**
 * What a worker's prepare task learned about a job: the output's timeline, the picture, whether the output has
 * sound ({@code soundKey}: the object whose audio the output carries, the job's new audio or the target's audio track
 * copied out by the probe; null for a silent output), the resolved chain and analysis, and the chunk plan (made by the common planner from the keyframe index,
 * which stays on the worker: a two-hour intra-only master has 170,000 keyframes).
 */
public record PreparedJob(Timeline timeline, Picture picture, String soundKey, List<String> processors, JobAnalysis analysis, int warmup,
                          int lookahead, List<ChunkPlan> chunks, long probeMs) {
    public PreparedJob {
        processors = List.copyOf(processors);
        chunks = List.copyOf(chunks);
    }

    public boolean hasAudio() {
        return soundKey != null;
    }

    /** The output's frames and rate; the target itself has {@code targetFrames} (fewer when its last frame is held). */
    public record Timeline(long frames, long targetFrames, int fpsNumerator, int fpsDenominator) {
    }

    public record Picture(int width, int height, String videoCodec) {
    }
}
