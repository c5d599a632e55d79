package facefarm.worker.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option checks, and defaults that follow what is installed and licensed. */
class AnalysisSettingsTest {
    @TempDir
    Path dir;

    private static AnalysisOptions detector(String name, Integer size) {
        return new AnalysisOptions(name, size, null, null, null, null, null, null, null, null, null, null, null);
    }

    private ModelStore store(Set<String> accepted, String... files) throws Exception {
        for (String file : files) {
            Files.write(dir.resolve(file), new byte[] {1});
        }
        return new ModelStore(ModelManifest.bundled(), List.of(dir), dir.resolve("cache"), false, accepted);
    }

    @Test
    void problemsNameTheOptionAndTheChoices() {
        assertEquals(List.of(), AnalysisSettings.problems(null));
        assertEquals(List.of(), AnalysisSettings.problems(detector("scrfd", 320)));
        assertEquals(List.of("unknown face detector 'blazeface' (known: yunet, scrfd, retinaface, yolo_face, many)"),
                AnalysisSettings.problems(detector("blazeface", null)));
        assertEquals(List.of("face detector 'yunet' takes sizes [640], not 320"), AnalysisSettings.problems(detector("yunet", 320)));
        assertEquals(List.of("face detector default takes sizes [640], not 333"), AnalysisSettings.problems(detector(null, 333)));
        List<String> problems = AnalysisSettings.problems(new AnalysisOptions(null, null, List.of(10, 10), List.of(45), 1.5f, "dlib", 2f, null,
                "everyone", "tallest-first", -1, 1.2f, -3L, 40));
        assertEquals(11, problems.size(), problems.toString());
        assertTrue(problems.contains("smoothing window must be between 0 (off) and 12 frames each side, got 40"), problems.toString());
        assertTrue(problems.contains("face detector score must be between 0 and 1, got 1.5"), problems.toString());
        assertTrue(problems.contains("unknown face landmarker 'dlib' (known: 2dfan4, peppa_wutz, many, none)"), problems.toString());
        assertTrue(problems.contains("unknown face selector mode 'everyone' (known: reference, one, many)"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("unknown face selector order 'tallest-first'")), problems.toString());
    }

    @Test
    void withNothingInstalledTheOpenDefaultsAreChosen() throws Exception {
        AnalysisOptions resolved = AnalysisSettings.resolve(null, store(Set.of()));
        assertEquals(new AnalysisOptions("yunet", 640, List.of(0, 0, 0, 0), List.of(0), 0.5f, "none", 0.5f, false, "many", "large-small", 0, 0.3f, 0L,
                AnalysisSettings.DEFAULT_SMOOTHING_WINDOW), resolved);
        assertEquals(List.of("yunet_2023_mar"), AnalysisSettings.modelIds(resolved, false));
    }

    @Test
    void faceFusionsDefaultsAreChosenWhereTheirModelsAreInstalledAndLicensed() throws Exception {
        ModelStore unlicensed = store(Set.of(), "yoloface_8n.onnx", "2dfan4.onnx", "fan_68_5.onnx", "arcface_w600k_r50.onnx");
        AnalysisOptions resolved = AnalysisSettings.resolve(null, unlicensed);
        assertEquals("yolo_face", resolved.faceDetectorModel());
        assertEquals("2dfan4", resolved.faceLandmarkerModel());
        assertEquals(true, resolved.fan68From5());
        assertEquals("many", resolved.faceSelectorMode(), "arcface is installed but its non-commercial licence was not accepted");

        AnalysisOptions licensed = AnalysisSettings.resolve(null, unlicensed.acceptingLicenses(List.of("arcface_w600k_r50")));
        assertEquals("reference", licensed.faceSelectorMode());
        assertEquals(List.of("yoloface_8n", "fan_68_5", "2dfan4", "arcface_w600k_r50"), AnalysisSettings.modelIds(licensed, true));
    }

    @Test
    void choicesTheStudioMadeAreKept() throws Exception {
        AnalysisOptions asked = new AnalysisOptions("many", 320, List.of(5, 0, 5, 0), List.of(0, 180), 0.3f, "many", 0.7f, false, "one",
                "left-right", 2, 0.4f, 7L, 0);
        AnalysisOptions resolved = AnalysisSettings.resolve(asked, store(Set.of(), "2dfan4.onnx"));
        assertEquals(asked, resolved);
        assertEquals(List.of("retinaface_10g", "scrfd_2.5g", "yoloface_8n", "2dfan4", "peppa_wutz"), AnalysisSettings.modelIds(resolved, false));
        AnalysisOptions off = new AnalysisOptions(null, null, null, null, null, "2dfan4", 0f, null, null, null, null, null, null);
        assertEquals(List.of("yunet_2023_mar"), AnalysisSettings.modelIds(AnalysisSettings.resolve(off, store(Set.of())), false),
                "a landmarker score of 0 turns the landmarker off, as in FaceFusion");
    }
}
