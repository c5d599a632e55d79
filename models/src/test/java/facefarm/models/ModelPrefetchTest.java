package facefarm.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-fetch step that fills a deployment's model cache, from a seeded folder (../shared/models) as from a download. */
class ModelPrefetchTest {
    @TempDir
    Path cache;

    @Test
    void listedModelsLandInTheCacheAndRefusalsSayWhatToDo() throws Exception {
        String shared = System.getenv("FARM_MODEL_PATH");
        assumeTrue(shared != null && Files.isRegularFile(Path.of(shared.split(":")[0], "face_detection_yunet_2023mar.onnx")),
                "skipped: FARM_MODEL_PATH does not hold ../shared/models");
        Path seeded = Path.of(shared.split(":")[0]);
        ModelStore store = new ModelStore(ModelManifest.bundled(), List.of(seeded), cache.resolve("unused"), false, Set.of());

        List<String> failures = ModelPrefetch.prefetch(store, ModelPrefetch.ids("yunet_2023_mar, scrfd_2.5g no_such_model"), cache);
        assertEquals(Files.size(seeded.resolve("face_detection_yunet_2023mar.onnx")), Files.size(cache.resolve("yunet_2023_mar.onnx")),
                "the commercial-use detector is copied whole into the cache");
        assertEquals(2, failures.size(), String.join("\n", failures));
        assertTrue(failures.get(0).contains("FARM_ACCEPT_LICENSES=scrfd_2.5g"), "a non-commercial model waits for its licence: " + failures.get(0));
        assertTrue(failures.get(1).contains("'no_such_model' is not in the manifest"), failures.get(1));
        assertTrue(Files.notExists(cache.resolve("scrfd_2.5g.onnx")));

        List<String> accepted = ModelPrefetch.prefetch(store.acceptingLicenses(List.of("scrfd_2.5g")), List.of("scrfd_2.5g"), cache);
        assertEquals(List.of(), accepted, "accepted, it is cached");
        assertTrue(Files.size(cache.resolve("scrfd_2.5g.onnx")) > 0);
        ModelStore offline = new ModelStore(ModelManifest.bundled(), List.of(), cache, false, Set.of("scrfd_2.5g"));
        assertTrue(offline.installed("yunet_2023_mar") && offline.installed("scrfd_2.5g"), "an offline worker finds both in the cache");
    }
}
