package facefarm.worker.analysis;

/** Named contours of MediaPipe's 468-point face mesh (the canonical face model's indices). */
public final class MeshRegions {
    private MeshRegions() {
    }

    /** The outer lip contour, closed. */
    public static final int[] LIPS_OUTER = {61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185};

    /** The inner lip contour: the mouth's opening. */
    public static final int[] LIPS_INNER = {78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191};

    /** The subject's right eye (image left), lid margins, closed. */
    public static final int[] RIGHT_EYE = {33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246};

    /** The subject's left eye (image right). */
    public static final int[] LEFT_EYE = {263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466};

    /** The eyes' corners: right outer, right inner, left inner, left outer. */
    public static final int[] EYE_CORNERS = {33, 133, 362, 263};

    /** The lower edges of both brows. */
    public static final int[] BROWS_LOWER = {46, 53, 52, 65, 55, 285, 295, 282, 283, 276};

    /** The subject's right brow (image left), upper edge then lower edge back: closed. */
    public static final int[] RIGHT_BROW = {70, 63, 105, 66, 107, 55, 65, 52, 53, 46};

    /** The subject's left brow (image right). */
    public static final int[] LEFT_BROW = {300, 293, 334, 296, 336, 285, 295, 282, 283, 276};

    /** The upper and lower lip's middle points. */
    public static final int[] MOUTH_CENTRE = {13, 14};
}
