package facefarm.worker.processors;

import java.util.List;

/** The processors this build can run, by FaceFusion's names. */
public final class ProcessorRegistry {
    public static final List<String> KNOWN = List.of(FaceDebugger.NAME);
    public static final List<String> DEFAULT_CHAIN = List.of(FaceDebugger.NAME);

    private ProcessorRegistry() {
    }

    public static FrameProcessor create(String name) {
        return switch (name) {
            case FaceDebugger.NAME -> new FaceDebugger();
            default -> throw new IllegalArgumentException("unknown processor '" + name + "' (known: " + String.join(", ", KNOWN) + ")");
        };
    }

    /** Warm-up frames a chain needs: the most any of its processors reads back. */
    public static int warmup(List<FrameProcessor> chain) {
        return chain.stream().mapToInt(FrameProcessor::warmupFrames).max().orElse(0);
    }

    public static int lookahead(List<FrameProcessor> chain) {
        return chain.stream().mapToInt(FrameProcessor::lookaheadFrames).max().orElse(0);
    }
}
