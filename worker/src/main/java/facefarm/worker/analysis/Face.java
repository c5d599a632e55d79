package facefarm.worker.analysis;

import java.util.List;

/** A detected face: box, detector score, and the 5 points (left eye, right eye, nose, left and right mouth corner). */
public record Face(Box box, float score, List<Point> landmark5) {
    public Face {
        landmark5 = List.copyOf(landmark5);
    }
}
