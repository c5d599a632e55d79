package facefarm.worker.analysis;

public record Point(float x, float y) {
}
