package facefarm.worker.masks;

import facefarm.worker.analysis.Point;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A job's face mask choice (--face-mask-types and their settings) applied to crops the way FaceFusion's swapper does:
 * box and occlusion on the target crop before the swap, area and region on the swapped crop after it, all combined
 * by minimum.
 */
public final class FaceMasker implements AutoCloseable {
    public static final List<String> TYPES = facefarm.common.jobs.OptionRules.MASK_TYPES;

    private final List<String> types;
    private final float blur;
    private final int[] padding;
    private final List<String> areas;
    private final List<String> regions;
    private final OcclusionMasker occlusion;
    private final RegionMasker region;

    /** @param occlusion needed when types has "occlusion"; @param region needed when types has "region" (both closed with this) */
    public FaceMasker(List<String> types, float blur, int[] padding, List<String> areas, List<String> regions, OcclusionMasker occlusion,
                      RegionMasker region) {
        this.types = List.copyOf(types);
        this.blur = blur;
        this.padding = padding.clone();
        this.areas = List.copyOf(areas);
        this.regions = List.copyOf(regions);
        this.occlusion = occlusion;
        this.region = region;
        if (types.contains("occlusion") && occlusion == null || types.contains("region") && region == null) {
            throw new IllegalArgumentException("mask types " + types + " need their occluder and parser models");
        }
    }

    public List<String> types() {
        return types;
    }

    /** Box and occlusion masks of the target crop. */
    public List<Mat> beforeSwap(Mat crop) {
        List<Mat> masks = new ArrayList<>(2);
        if (types.contains("box")) {
            masks.add(FaceMasks.box(crop.cols(), crop.rows(), blur, padding));
        }
        if (types.contains("occlusion")) {
            masks.add(occlusion.mask(crop));
        }
        return masks;
    }

    /**
     * Area and region masks of the swapped crop; the area mask needs the face's 68 points in crop space and is left
     * out when the face has none (no 68-point landmarker and no fan_68_5).
     */
    public List<Mat> afterSwap(Mat swapped, List<Point> landmark68InCrop) {
        List<Mat> masks = new ArrayList<>(2);
        if (types.contains("area") && landmark68InCrop != null) {
            masks.add(FaceMasks.area(swapped.cols(), swapped.rows(), landmark68InCrop, areas));
        }
        if (types.contains("region")) {
            masks.add(region.mask(swapped, regions));
        }
        return masks;
    }

    /** Every mask combined; a crop-sized mask of ones when no type applies. Closes the masks it was given. */
    public static Mat combine(List<Mat> masks, int width, int height) {
        if (masks.isEmpty()) {
            return new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_32FC1, new org.bytedeco.opencv.opencv_core.Scalar(1));
        }
        Mat result = FaceMasks.combine(masks);
        for (Mat mask : masks) {
            if (mask != result) {
                mask.close();
            }
        }
        return result;
    }

    @Override
    public void close() {
        if (occlusion != null) {
            occlusion.close();
        }
        if (region != null) {
            region.close();
        }
    }
}
