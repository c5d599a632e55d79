package facefarm.common.jobs;

/** Milliseconds spent per stage; workers report theirs per attempt and the coordinator sums them per job. */
public record StageTimings(long probeMs, long decodeMs, long processMs, long encodeMs, long transferMs, long stitchMs) {
    public static final StageTimings ZERO = new StageTimings(0, 0, 0, 0, 0, 0);

    public StageTimings plus(StageTimings other) {
        return new StageTimings(probeMs + other.probeMs, decodeMs + other.decodeMs, processMs + other.processMs,
                encodeMs + other.encodeMs, transferMs + other.transferMs, stitchMs + other.stitchMs);
    }

    public StageTimings withProbeMs(long ms) {
        return new StageTimings(ms, decodeMs, processMs, encodeMs, transferMs, stitchMs);
    }

    public StageTimings withStitchMs(long ms) {
        return new StageTimings(probeMs, decodeMs, processMs, encodeMs, transferMs, ms);
    }
}
