package facefarm.worker.processors;

import facefarm.worker.analysis.DenseMesh;
import facefarm.worker.analysis.EyeOpening;
import facefarm.worker.analysis.Face;
import facefarm.worker.analysis.FaceLight;
import facefarm.worker.analysis.FaceMesh468;
import facefarm.worker.analysis.Geometry;
import facefarm.worker.analysis.Point;
import facefarm.worker.processors.meshswap.LocalColourMatch;
import facefarm.worker.processors.meshswap.MeshWarp;
import facefarm.worker.processors.meshswap.MultiBandBlend;
import facefarm.worker.processors.meshswap.SwapMask;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The open face swapper: no generative model, only MediaPipe FaceMesh (Apache-2.0). The source's texture is warped
 * onto each target face's mesh ({@link MeshWarp}), so identity comes from the source and pose from the target; the
 * target keeps its own mouth, eyes (with their lids through a blink, judged along the track) and forehead
 * ({@link SwapMask}), so the face performs exactly as the actor did. The warped skin takes the scene's light locally
 * ({@link LocalColourMatch}, from the face's light smoothed along its track) and joins the frame by multi-band
 * blending (default), a feathered alpha or Poisson cloning. Pixels outside the face's box are never touched.
 */
public final class MeshSwapper implements FrameProcessor {
    public static final String NAME = "mesh_swapper";

    /** How the warped face joins the frame. */
    public enum Blend {
        MULTIBAND, FEATHERED, SEAMLESS;

        public static Blend byName(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mesh swapper blend '" + name + "' (known: multiband, feathered, seamless)", e);
            }
        }

        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Pixels around the mesh's extent that the swap's box takes in. */
    public static final int BOX_MARGIN = 4;

    /** A source image (BGR, owned by the processor) and its face's 468 mesh points. */
    public record Source(Mat image, List<Point> points) {
    }

    private final FaceMesh468 mesh;
    private final List<Source> sources;
    private final List<MeshWarp> warps;
    private final Blend blend;

    /**
     * @param mesh    the target faces' landmarker; closed with this processor
     * @param sources the job's sources in order, kept by the processor; the first goes onto faces no face map assigns
     */
    public MeshSwapper(FaceMesh468 mesh, List<Source> sources, Blend blend) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("the mesh swapper needs a source face");
        }
        this.mesh = mesh;
        this.sources = List.copyOf(sources);
        this.warps = this.sources.stream().map(s -> new MeshWarp(s.image(), s.points())).toList();
        this.blend = blend;
    }

    public MeshSwapper(FaceMesh468 mesh, Mat source, List<Point> sourcePoints, Blend blend) {
        this(mesh, List.of(new Source(source, sourcePoints)), blend);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces) {
        process(frameIndex, frame, faces, 0);
    }

    /** Swaps each face on its mesh: the one analysis found (smoothed over its track), else one run here. */
    @Override
    public void process(long frameIndex, Mat frame, List<Face> faces, int source) {
        if (source < 0 || source >= warps.size()) {
            throw new IllegalArgumentException("source " + source + " asked of a job with " + warps.size() + " source(s)");
        }
        MeshWarp warp = warps.get(source);
        List<Face> unmeshed = faces.stream().filter(face -> face.mesh() == null).toList();
        faces.stream().filter(face -> face.mesh() != null).forEach(face -> swap(frame, face.mesh(), warp));
        if (unmeshed.isEmpty()) {
            return;
        }
        List<Mat> frames = new ArrayList<>(unmeshed.size());
        unmeshed.forEach(face -> frames.add(frame));
        for (FaceMesh468.Mesh target : mesh.run(frames, unmeshed)) {
            swap(frame, target.points(), warp);
        }
    }

    /**
     * Replaces the face whose mesh is {@code targetPoints} in {@code frame} with the first source's face, its eyes
     * judged on this frame alone ({@link EyeOpening#TYPICAL_OPEN}).
     */
    public void swap(Mat frame, List<Point> targetPoints) {
        swap(frame, targetPoints, warps.get(0));
    }

    /** A face found without analysis: its eyes and light read from this frame alone. */
    private void swap(Mat frame, List<Point> targetPoints, MeshWarp warp) {
        swap(frame, DenseMesh.of(targetPoints, EyeOpening.of(frame, targetPoints), FaceLight.sample(frame, targetPoints)), warp);
    }

    /** Swaps the face with the mesh {@code target} (its eyes judged and its light smoothed along its track, if any). */
    private void swap(Mat frame, DenseMesh target, MeshWarp warp) {
        List<Point> targetPoints = target.points();
        float[] light = target.light() != null ? target.light() : FaceLight.sample(frame, targetPoints);
        Rect box = bounds(targetPoints, frame.cols(), frame.rows(), BOX_MARGIN);
        if (box == null) {
            return;
        }
        try (Mat warped = new Mat(); Mat coverage = new Mat(); Mat region = new Mat(frame, box)) {
            MeshWarp.Placement placement = warp.place(targetPoints, box);
            placement.warp(warped, coverage);
            if (opencv_core.countNonZero(coverage) < 16) {
                return;
            }
            try (SwapMask mask = SwapMask.of(targetPoints, box, coverage, target.relativeEyeOpening())) {
                if (opencv_core.countNonZero(mask.support()) < 16) {
                    return;
                }
                if (light != null) {
                    float[] targetMean = placement.interpolate(light, 3);
                    LocalColourMatch.apply(warped, targetMean, mask.support(), Math.max(2, FaceLight.REACH * SwapMask.eyeSpan(targetPoints)));
                }
                switch (blend) {
                    case MULTIBAND -> multiband(warped, region, mask.alpha());
                    case FEATHERED -> feather(warped, region, mask.alpha());
                    case SEAMLESS -> clone(warped, region, mask);
                }
            }
        }
    }

    private static void multiband(Mat warped, Mat region, Mat alpha) {
        // the source only where it is used: its mouth and eyes must not reach the target's through the coarse bands
        try (Mat unused = new Mat(); Mat floor = new Mat(1, 1, opencv_core.CV_32F, new Scalar(0.01))) {
            opencv_core.compare(alpha, floor, unused, opencv_core.CMP_LT);
            region.copyTo(warped, unused);
        }
        MultiBandBlend.blend(warped, region, alpha, MultiBandBlend.levelsFor(region.cols(), region.rows()));
    }

    private static void feather(Mat warped, Mat region, Mat alpha) {
        int pixels = (int) alpha.total();
        float[] a = new float[pixels];
        byte[] src = new byte[pixels * 3];
        byte[] dst = new byte[pixels * 3];
        alpha.getFloatBuffer().get(a);
        ((ByteBuffer) warped.createBuffer()).get(src);
        try (Mat copy = region.clone()) {
            ((ByteBuffer) copy.createBuffer()).get(dst);
            for (int i = 0; i < pixels; i++) {
                float k = a[i];
                for (int c = 0; c < 3 && k > 0; c++) {
                    int j = 3 * i + c;
                    dst[j] = (byte) Math.round((dst[j] & 0xff) * (1 - k) + (src[j] & 0xff) * k);
                }
            }
            ((ByteBuffer) copy.createBuffer()).put(dst);
            copy.copyTo(region);
        }
    }

    /** Poisson cloning of the whole face, then the target's kept mouth and eyes faded back in by the mask. */
    private static void clone(Mat warped, Mat region, SwapMask mask) {
        try (Mat points = new Mat(); Mat cloned = new Mat(); Mat cloneMask = mask.outline().clone()) {
            opencv_core.findNonZero(mask.outline(), points);
            Rect r = opencv_imgproc.boundingRect(points);
            // seamlessClone centres the mask's bounding box on this point: the same place it has in the region
            org.bytedeco.opencv.opencv_core.Point centre = new org.bytedeco.opencv.opencv_core.Point(r.x() + r.width() / 2, r.y() + r.height() / 2);
            // seamlessClone re-borders the mask it is given in place, hence the copy
            opencv_photo.seamlessClone(warped, region, cloneMask, centre, cloned, opencv_photo.NORMAL_CLONE);
            feather(cloned, region, mask.alpha());
        }
    }

    /** The points' bounding box grown by {@code margin}, clipped to the frame; null when nothing is left. */
    public static Rect bounds(List<Point> points, int width, int height, int margin) {
        float[] e = Geometry.extent(points);
        int x1 = Math.max(0, (int) Math.floor(e[0]) - margin);
        int y1 = Math.max(0, (int) Math.floor(e[1]) - margin);
        int x2 = Math.min(width, (int) Math.ceil(e[2]) + margin + 1);
        int y2 = Math.min(height, (int) Math.ceil(e[3]) + margin + 1);
        return x2 - x1 < 8 || y2 - y1 < 8 ? null : new Rect(x1, y1, x2 - x1, y2 - y1);
    }

    @Override
    public void close() {
        mesh.close();
        warps.forEach(MeshWarp::close);
        sources.forEach(s -> s.image().close());
    }
}
