package facefarm.worker.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.ProcessorOptions;
import facefarm.models.ModelManifest;
import facefarm.models.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorSettingsTest {
    @TempDir
    Path dir;

    private ModelStore store(Set<String> accepted, String... installed) throws IOException {
        Path folder = Files.createTempDirectory(dir, "models");
        for (String id : installed) {
            Files.write(folder.resolve(ModelManifest.bundled().get(id).file()), new byte[] {1});
        }
        return new ModelStore(ModelManifest.bundled(), List.of(folder), dir.resolve("cache"), false, accepted);
    }

    @Test
    void withoutProcessorsTheFarmRunsTheBestInstalledChain() throws IOException {
        ModelStore bare = store(Set.of());
        assertEquals(List.of(MeshSwapper.NAME), ProcessorSettings.resolve(null, null, bare).processors(), "nothing installed: the open swapper");

        ModelStore unlicensed = store(Set.of(), "inswapper_128", "arcface_w600k_r50", "gfpgan_1.4");
        assertEquals(List.of(MeshSwapper.NAME), ProcessorSettings.resolve(null, null, unlicensed).processors(),
                "installed but not licensed for commercial use: still the open swapper");

        ModelStore licensed = store(Set.of("InsightFace Non-Commercial"), "inswapper_128", "arcface_w600k_r50", "gfpgan_1.4");
        ProcessorSettings.Resolved best = ProcessorSettings.resolve(null, null, licensed);
        assertEquals(List.of(FaceSwapper.NAME, FaceEnhancer.NAME), best.processors());
        assertEquals("inswapper_128", best.options().faceSwapperModel(), "the first installed swapper in preference order");
        assertEquals(128, best.options().faceSwapperPixelBoost());
        assertEquals("gfpgan_1.4", best.options().faceEnhancerModel());
        assertEquals(List.of("inswapper_128", "arcface_w600k_r50", "gfpgan_1.4"), ProcessorSettings.modelIds(best));
    }

    @Test
    void lipSyncHearsTheVoiceAloneWhenAVoiceExtractorIsInstalledAndLicensed() throws IOException {
        List<String> chain = List.of(LipSyncer.NAME);
        ProcessorSettings.Resolved bare = ProcessorSettings.resolve(chain, null, store(Set.of()));
        assertEquals("wav2lip_gan_96", bare.options().lipSyncerModel(), "FaceFusion's default");
        assertEquals(0.5f, bare.options().lipSyncerWeight());
        assertEquals(ProcessorSettings.NO_VOICE_EXTRACTOR, bare.options().voiceExtractorModel(), "none installed: the whole track");
        assertEquals(List.of("wav2lip_gan_96"), ProcessorSettings.modelIds(bare));

        ModelStore unlicensed = store(Set.of(), "kim_vocal_2");
        assertEquals(ProcessorSettings.NO_VOICE_EXTRACTOR, ProcessorSettings.resolve(chain, null, unlicensed).options().voiceExtractorModel(),
                "kim_vocal_2 is non-commercial: not used unless accepted");
        ProcessorSettings.Resolved voice = ProcessorSettings.resolve(chain, null, store(Set.of("kim_vocal_2"), "kim_vocal_2", "uvr_mdxnet"));
        assertEquals("kim_vocal_2", voice.options().voiceExtractorModel(), "FaceFusion's default first");
        assertEquals(List.of("wav2lip_gan_96", "kim_vocal_2"), ProcessorSettings.modelIds(voice));

        ProcessorOptions bad = new ProcessorOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, "wav3lip", 1.5f,
                "kim_vocal_3");
        assertEquals(3, ProcessorSettings.problems(bad).size(), ProcessorSettings.problems(bad).toString());
    }

    @Test
    void aSwapperWithoutItsConverterIsNotUsable() throws IOException {
        ModelStore noConverter = store(Set.of("arcface_w600k_r50"), "ghost_1_256", "arcface_w600k_r50");
        assertEquals(List.of(MeshSwapper.NAME), ProcessorSettings.resolve(null, null, noConverter).processors());
        ModelStore ghost = store(Set.of("arcface_w600k_r50"), "ghost_1_256", "crossface_ghost", "arcface_w600k_r50");
        ProcessorSettings.Resolved resolved = ProcessorSettings.resolve(null, null, ghost);
        assertEquals(List.of(FaceSwapper.NAME), resolved.processors(), "no enhancer installed");
        assertEquals(List.of("ghost_1_256", "arcface_w600k_r50", "crossface_ghost"), ProcessorSettings.modelIds(resolved));
    }

    @Test
    void defaultsAreFaceFusions() throws IOException {
        ProcessorOptions o = ProcessorSettings.resolve(List.of(FaceSwapper.NAME), null, store(Set.of())).options();
        assertEquals("hyperswap_1a_256", o.faceSwapperModel());
        assertEquals(256, o.faceSwapperPixelBoost());
        assertEquals(0.5f, o.faceSwapperWeight());
        assertEquals(80, o.faceEnhancerBlend());
        assertEquals(List.of("box"), o.faceMaskTypes());
        assertEquals(0.3f, o.faceMaskBlur());
        assertEquals(List.of(0, 0, 0, 0), o.faceMaskPadding());
        assertEquals("multiband", o.meshSwapperBlend(), "no seam, and the closest to the source by MobileFaceNet");
        ProcessorOptions masks = new ProcessorOptions(null, null, null, null, null, null, List.of("box", "occlusion", "region"), null, null, null,
                null, null, null, null);
        assertEquals(List.of("hyperswap_1a_256", "arcface_w600k_r50", "xseg_1", "bisenet_resnet_34"),
                ProcessorSettings.modelIds(ProcessorSettings.resolve(List.of(FaceSwapper.NAME), masks, store(Set.of()))));
    }

    @Test
    void problemsNameTheOptionAndWhatIsAllowed() {
        ProcessorOptions bad = new ProcessorOptions("inswapper_129", null, 1.5f, "gfpgan_2", 120, null, List.of("box", "halo"), null,
                List.of(1, 2, 3), null, List.of("hair"), "xseg_9", null, "smudge");
        String text = String.join("\n", ProcessorSettings.problems(bad));
        for (String expected : List.of("unknown faceSwapperModel 'inswapper_129'", "faceSwapperWeight must be from 0 to 1", "unknown faceEnhancerModel 'gfpgan_2'",
                "faceEnhancerBlend must be from 0 to 100", "unknown faceMaskTypes value 'halo'", "faceMaskPadding must be four percentages",
                "unknown faceMaskRegions value 'hair'", "unknown faceOccluderModel 'xseg_9'", "unknown mesh swapper blend 'smudge'")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
        }
        assertTrue(ProcessorSettings.problems(new ProcessorOptions("inswapper_128", 512, null, null, null, null, null, null, null, null, null, null,
                null, null)).isEmpty(), "512 is one of inswapper's pixel boosts");
        assertEquals(List.of("faceSwapperPixelBoost 384 is not one of simswap_unofficial_512's [512, 768, 1024]"), ProcessorSettings.problems(
                new ProcessorOptions("simswap_unofficial_512", 384, null, null, null, null, null, null, null, null, null, null, null, null)));
        assertTrue(ProcessorSettings.problems(null).isEmpty());
    }

    @Test
    void everyProcessorModelHasAManifestEntryWithDownloadsAndALicence() {
        ModelManifest manifest = ModelManifest.bundled();
        List<String> ids = Stream.of(SwapperModel.IDS, EnhancerModel.IDS, ProcessorSettings.OCCLUDERS, ProcessorSettings.PARSERS,
                List.of("crossface_ghost", "crossface_simswap", "crossface_hififace", "face_landmark_468")).flatMap(List::stream).toList();
        for (String id : ids) {
            var spec = manifest.get(id);
            assertTrue(spec.urls().size() >= 2, id + " has download URLs");
            assertTrue(!spec.license().isBlank(), id + " has a licence");
        }
        for (SwapperModel model : SwapperModel.values()) {
            if (model.converter() != null) {
                assertTrue(manifest.get(model.converter()) != null, model + "'s converter");
            }
        }
        assertEquals(554_253_681L, manifest.get("inswapper_128").size());
    }
}
