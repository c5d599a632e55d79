package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import facefarm.common.jobs.OptionRules;
import facefarm.worker.analysis.DetectorModel;
import facefarm.worker.analysis.FaceDetectors;
import facefarm.worker.analysis.FaceSelector;
import facefarm.worker.masks.FaceMasks;
import facefarm.worker.masks.RegionMasker;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The coordinator checks options against common's vocabulary; the workers' models must offer exactly that. */
class OptionVocabularyTest {
    @Test
    void theCommonVocabularyIsWhatTheWorkersModelsOffer() {
        Map<String, List<Integer>> detectorSizes = new LinkedHashMap<>();
        for (String name : FaceDetectors.NAMES) {
            Set<Integer> sizes = new TreeSet<>();
            FaceDetectors.models(name).stream().map(DetectorModel::sizes).forEach(sizes::addAll);
            detectorSizes.put(name, List.copyOf(sizes));
        }
        assertEquals(detectorSizes, OptionRules.DETECTOR_SIZES);
        Map<String, List<Integer>> boosts = new LinkedHashMap<>();
        ProcessorSettings.SWAPPER_PREFERENCE.forEach(id -> boosts.put(id, SwapperModel.byId(id).pixelBoosts()));
        assertEquals(new TreeSet<>(SwapperModel.IDS), new TreeSet<>(OptionRules.SWAPPER_PIXEL_BOOSTS.keySet()));
        boosts.forEach((id, b) -> assertEquals(b, OptionRules.SWAPPER_PIXEL_BOOSTS.get(id), id));
        assertEquals(ProcessorSettings.SWAPPER_PREFERENCE.get(0), OptionRules.SWAPPER_PIXEL_BOOSTS.keySet().iterator().next(), "the default swapper");
        assertEquals(new TreeSet<>(EnhancerModel.IDS), new TreeSet<>(OptionRules.ENHANCERS));
        assertEquals(new TreeSet<>(LipSyncerModel.IDS), new TreeSet<>(OptionRules.LIP_SYNCERS));
        assertEquals(new TreeSet<>(FaceMasks.AREAS.keySet()), new TreeSet<>(OptionRules.MASK_AREAS));
        assertEquals(new TreeSet<>(RegionMasker.REGIONS.keySet()), new TreeSet<>(OptionRules.MASK_REGIONS));
        assertEquals(Arrays.stream(MeshSwapper.Blend.values()).map(MeshSwapper.Blend::optionName).sorted().toList(),
                OptionRules.MESH_BLENDS.stream().sorted().toList());
        assertEquals(Arrays.stream(FaceSelector.Order.values()).map(FaceSelector.Order::optionName).toList(), OptionRules.SELECTOR_ORDERS);
        assertEquals(List.of("face_swapper", "face_enhancer", "mesh_swapper", "lip_syncer", "face_debugger"),
                List.of(FaceSwapper.NAME, FaceEnhancer.NAME, MeshSwapper.NAME, LipSyncer.NAME, FaceDebugger.NAME));
    }
}
