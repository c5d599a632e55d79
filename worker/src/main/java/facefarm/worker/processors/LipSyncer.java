package facefarm.worker.processors;

import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceWarp;
import facefarm.worker.analysis.Landmarks;
import facefarm.worker.analysis.Point;
import facefarm.worker.analysis.WarpTemplate;
import facefarm.worker.audio.MelSpectrogram;
import facefarm.worker.audio.MelWindows;
import facefarm.worker.inference.OnnxModel;
import facefarm.worker.masks.FaceMasker;
import facefarm.worker.masks.FaceMasks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * FaceFusion's lip_syncer (facefusion.md 3.8): each selected face is cropped at 512 px with ffhq_512 and its mouth
 * redrawn from the mel window of the frame's absolute index, so a chunk hears exactly what a one-chunk render hears.
 * <ul>
 * <li>Wav2Lip: the 68 points in the crop give a box, warped to 96 px; the model sees that box twice, BGR / 255, with
 * rows 48-95 zeroed in the first copy, and the mel window x weight·2. Its output is warped back into the crop and pasted
 * with the lower-face area mask (and occlusion when chosen).</li>
 * <li>EDTalk: the crop at 256 px, RGB / 255, the mel window and the weight; the output is resized back (cubic) and
 * pasted with the box mask (and occlusion when chosen).</li>
 * </ul>
 * The 68 points are the landmarker's, or picked from the FaceMesh when no 68-point landmarker is installed.
 */
public final class LipSyncer implements FrameProcessor {
    public static final String NAME = "lip_syncer";
    public static final String DEFAULT_MODEL = "wav2lip_gan_96";
    public static final float DEFAULT_WEIGHT = 0.5f;
    static final int CROP = 512;
    /** Rows of the Wav2Lip input from which the first copy is hidden: the lower half the model draws. */
    static final int HIDDEN_FROM_ROW = 48;

    private final LipSyncerModel model;
    private final OnnxModel session;
    private final FaceMasker masker;
    private final MelWindows voice;
    private final float weight;

    /** @param masker occlusion when chosen, and for EDTalk the box; closed with this, as is the session */
    public LipSyncer(LipSyncerModel model, OnnxModel session, FaceMasker masker, MelWindows voice, float weight) {
        this.model = model;
        this.session = session;
        this.masker = masker;
        this.voice = voice;
        this.weight = weight;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        if (faces.isEmpty()) {
            return;
        }
        float[] mel = voice.window(frameIndex);
        for (Face face : faces) {
            sync(frame, face, mel);
        }
    }

    void sync(Mat frame, Face face, float[] mel) {
        double[] matrix = FaceWarp.matrix(face.alignment(), WarpTemplate.FFHQ_512, CROP);
        if (PasteBack.box(frame, CROP, CROP, matrix) == null) {
            return;
        }
        try (Mat crop = FaceWarp.crop(frame, matrix, CROP)) {
            List<Mat> masks = new ArrayList<>(masker.beforeSwap(crop));
            Mat synced;
            if (model.kind() == LipSyncerModel.Kind.WAV2LIP) {
                List<Point> points = FaceWarp.apply(matrix, landmarks68(face));
                masks.add(FaceMasks.area(CROP, CROP, points, List.of("lower-face")));
                synced = wav2lip(crop, points, mel);
            } else {
                synced = edtalk(crop, mel);
            }
            try (Mat mask = FaceMasker.combine(masks, CROP, CROP)) {
                PasteBack.paste(frame, synced, mask, matrix);
            } finally {
                synced.close();
            }
        }
    }

    static List<Point> landmarks68(Face face) {
        if (face.landmark68() != null) {
            return face.landmark68();
        }
        if (face.mesh() != null) {
            return Landmarks.sixtyEightFromMesh(face.mesh().points());
        }
        throw new IllegalStateException("lip sync needs 68 landmarks of each face: install a 68-point landmarker (2dfan4, peppa_wutz) or FaceMesh");
    }

    private Mat wav2lip(Mat crop, List<Point> points68, float[] mel) {
        double[] area = boxMatrix(points68, model.size());
        try (Mat mouth = warpBox(crop, area, model.size());
             Mat drawn = bgrImage(session.run(wav2lipInputs(mouth, mel, weight))[0], model.size());
             Mat inverse = FaceWarp.matrixMat(FaceWarp.invert(area))) {
            Mat back = new Mat();
            opencv_imgproc.warpAffine(drawn, back, inverse, new Size(CROP, CROP), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, new Scalar());
            return back;
        }
    }

    /** What a Wav2Lip model is given for one face of frame {@code frameIndex}, by the same steps {@link #process} takes. */
    List<OnnxModel.Input> wav2lipInputs(Mat frame, Face face, long frameIndex) {
        double[] matrix = FaceWarp.matrix(face.alignment(), WarpTemplate.FFHQ_512, CROP);
        try (Mat crop = FaceWarp.crop(frame, matrix, CROP)) {
            List<Point> points = FaceWarp.apply(matrix, landmarks68(face));
            try (Mat mouth = warpBox(crop, boxMatrix(points, model.size()), model.size())) {
                return wav2lipInputs(mouth, voice.window(frameIndex), weight);
            }
        }
    }

    private Mat edtalk(Mat crop, float[] mel) {
        try (Mat drawn = CropRange.UNIT.image(session.run(edtalkInputs(crop, mel))[0], model.size())) {
            Mat back = new Mat();
            opencv_imgproc.resize(drawn, back, new Size(CROP, CROP), 0, 0, opencv_imgproc.INTER_CUBIC);
            return back;
        }
    }

    /** EDTalk's inputs: the mel window as it is, the crop at 256 (area), RGB / 255, and the weight. */
    private List<OnnxModel.Input> edtalkInputs(Mat crop, float[] mel) {
        int size = model.size();
        try (Mat small = new Mat()) {
            opencv_imgproc.resize(crop, small, new Size(size, size), 0, 0, opencv_imgproc.INTER_AREA);
            return List.of(new OnnxModel.Input("source", mel, 1, 1, MelSpectrogram.BANDS, MelWindows.COLUMNS),
                    new OnnxModel.Input("target", CropRange.UNIT.tensor(small), 1, 3, size, size),
                    new OnnxModel.Input("weight", new float[] {weight}, 1));
        }
    }

    /** What an EDTalk model is given for one face of frame {@code frameIndex}, by the same steps {@link #process} takes. */
    List<OnnxModel.Input> edtalkInputs(Mat frame, Face face, long frameIndex) {
        try (Mat crop = FaceWarp.crop(frame, FaceWarp.matrix(face.alignment(), WarpTemplate.FFHQ_512, CROP), CROP)) {
            return edtalkInputs(crop, voice.window(frameIndex));
        }
    }

    /** The 3-point affine taking the points' bounding box onto a {@code size} square (FaceFusion's warp_face_by_bounding_box). */
    static double[] boxMatrix(List<Point> points, int size) {
        float x1 = Float.MAX_VALUE;
        float y1 = Float.MAX_VALUE;
        float x2 = -Float.MAX_VALUE;
        float y2 = -Float.MAX_VALUE;
        for (Point p : points) {
            x1 = Math.min(x1, p.x());
            y1 = Math.min(y1, p.y());
            x2 = Math.max(x2, p.x());
            y2 = Math.max(y2, p.y());
        }
        if (x2 - x1 < 1 || y2 - y1 < 1) {
            throw new IllegalArgumentException("the face's 68 landmarks span no area; it cannot be lip-synced");
        }
        double sx = size / (double) (x2 - x1);
        double sy = size / (double) (y2 - y1);
        return new double[] {sx, 0, -x1 * sx, 0, sy, -y1 * sy};
    }

    /** The box crop; INTER_AREA when the box shrinks, as FaceFusion does. */
    static Mat warpBox(Mat crop, double[] matrix, int size) {
        boolean shrinks = matrix[0] < 1 || matrix[4] < 1;
        Mat out = new Mat();
        try (Mat m = FaceWarp.matrixMat(matrix)) {
            opencv_imgproc.warpAffine(crop, out, m, new Size(size, size), shrinks ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR,
                    opencv_core.BORDER_CONSTANT, new Scalar());
        }
        return out;
    }

    /** Wav2Lip's inputs: {@code source} the mel window x weight·2, {@code target} [masked ‖ whole] BGR / 255. */
    static List<OnnxModel.Input> wav2lipInputs(Mat mouth, float[] mel, float weight) {
        float[] source = new float[mel.length];
        for (int i = 0; i < mel.length; i++) {
            source[i] = mel[i] * weight * 2;
        }
        int size = mouth.rows();
        return List.of(new OnnxModel.Input("source", source, 1, 1, MelSpectrogram.BANDS, MelWindows.COLUMNS),
                new OnnxModel.Input("target", wav2lipTarget(mouth), 1, 6, size, size));
    }

    /** Six planes: B, G, R with rows 48 and below zeroed, then B, G, R whole; values / 255. */
    static float[] wav2lipTarget(Mat mouth) {
        int size = mouth.rows();
        int plane = size * size;
        byte[] bgr = new byte[plane * 3];
        ((ByteBuffer) mouth.createBuffer()).get(bgr);
        float[] planes = new float[6 * plane];
        int hiddenFrom = HIDDEN_FROM_ROW * size;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = (bgr[3 * i + c] & 0xff) / 255f;
                planes[(3 + c) * plane + i] = v;
                planes[c * plane + i] = i < hiddenFrom ? v : 0;
            }
        }
        return planes;
    }

    /** A (3, size, size) BGR output in [0, 1] as a crop: clipped, x 255, rounded. */
    static Mat bgrImage(float[] chw, int size) {
        int plane = size * size;
        byte[] bgr = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                bgr[3 * i + c] = (byte) Math.round(Math.max(0, Math.min(1, chw[c * plane + i])) * 255);
            }
        }
        Mat image = new Mat(size, size, opencv_core.CV_8UC3);
        ((ByteBuffer) image.createBuffer()).put(bgr);
        return image;
    }

    @Override
    public void close() {
        session.close();
        masker.close();
    }
}
