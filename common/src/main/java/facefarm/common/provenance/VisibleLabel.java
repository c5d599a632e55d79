package facefarm.common.provenance;

import java.util.ArrayList;
import java.util.List;

/**
 * A label drawn on every output frame, saying the picture is generated: its {@code text}, the corner it sits in
 * ({@code position}; default bottom-right) and its {@code opacity} (0 to 1; default 0.8). The text is drawn with a
 * Hershey stroke font, so it is printable ASCII.
 */
public record VisibleLabel(String text, String position, Double opacity) {
    public static final List<String> POSITIONS = List.of("top-left", "top-right", "bottom-left", "bottom-right");
    public static final String DEFAULT_POSITION = "bottom-right";
    public static final double DEFAULT_OPACITY = 0.8;
    public static final int MAX_TEXT = 80;

    public VisibleLabel {
        position = position == null ? DEFAULT_POSITION : position;
        opacity = opacity == null ? DEFAULT_OPACITY : opacity;
    }

    /** What is wrong with this label, in plain words; empty when nothing is. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (text == null || text.isBlank() || text.length() > MAX_TEXT || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            problems.add("label.text must be 1 to " + MAX_TEXT + " printable ASCII characters (it is drawn with a stroke font), got '"
                    + (text == null ? "" : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text) + "'");
        }
        if (!POSITIONS.contains(position)) {
            problems.add("label.position must be one of " + String.join(", ", POSITIONS) + ", got '" + position + "'");
        }
        if (opacity.isNaN() || opacity <= 0 || opacity > 1) {
            problems.add("label.opacity must be above 0 and at most 1, got " + opacity);
        }
        return problems;
    }
}
