package facefarm.worker.analysis;

/** Axis-aligned box in frame pixels: (x1, y1) top-left, (x2, y2) bottom-right. */
public record Box(float x1, float y1, float x2, float y2) {
    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    public boolean contains(Point p) {
        return p.x() >= x1 && p.x() <= x2 && p.y() >= y1 && p.y() <= y2;
    }

    public float iou(Box other) {
        float ix = Math.max(0, Math.min(x2, other.x2) - Math.max(x1, other.x1));
        float iy = Math.max(0, Math.min(y2, other.y2) - Math.max(y1, other.y1));
        float intersection = ix * iy;
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
