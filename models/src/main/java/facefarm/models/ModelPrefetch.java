package facefarm.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills a model cache before workers start (a Kubernetes init container or Job, a Compose one-off): every model id in
 * FARM_PREFETCH_MODELS is resolved as a worker would, downloaded from its manifest URL or copied from FARM_MODEL_PATH
 * into FARM_MODEL_CACHE, checked for size, and refused while its licence is not in FARM_ACCEPT_LICENSES. Workers then
 * read the cache with FARM_OFFLINE=1. Exit status 0 when every model is in the cache, 1 otherwise, 2 for bad settings.
 */
public final class ModelPrefetch {
    private static final System.Logger LOG = System.getLogger(ModelPrefetch.class.getName());

    private ModelPrefetch() {
    }

    public static void main(String[] args) {
        List<String> ids = ids(System.getenv().getOrDefault("FARM_PREFETCH_MODELS", ""));
        String cache = System.getenv("FARM_MODEL_CACHE");
        if (cache == null || cache.isBlank()) {
            LOG.log(System.Logger.Level.ERROR, "set FARM_MODEL_CACHE to the folder the workers read their models from");
            System.exit(2);
        }
        List<String> failures = prefetch(ModelStore.fromEnvironment(), ids, Path.of(cache));
        failures.forEach(failure -> LOG.log(System.Logger.Level.ERROR, failure));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    static List<String> ids(String setting) {
        return Arrays.stream(setting.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** @return one line per model that could not be put in the cache, saying why; empty when all are there */
    public static List<String> prefetch(ModelStore store, List<String> ids, Path cache) {
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                if (store.manifest().find(id).isEmpty()) {
                    failures.add("model '" + id + "' is not in the manifest; known ids: " + store.manifest().all().stream().map(ModelSpec::id).toList());
                    continue;
                }
                Path resolved = store.resolve(id);
                Path cached = cache.resolve(store.manifest().get(id).file());
                if (!resolved.toAbsolutePath().normalize().equals(cached.toAbsolutePath().normalize())) {
                    Files.createDirectories(cache);
                    Path partial = Files.createTempFile(cache, cached.getFileName().toString(), ".part");
                    Files.copy(resolved, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                LOG.log(System.Logger.Level.INFO, "model={0} cached at {1} ({2} bytes)", id, cached, Files.size(cached));
            } catch (ModelNotFoundException | LicenseNotAcceptedException e) {
                failures.add(e.getMessage());
            } catch (IOException e) {
                failures.add("cannot write model '" + id + "' into " + cache + ": " + e.getMessage());
            } catch (UncheckedIOException e) {
                failures.add("cannot fetch model '" + id + "': " + e.getMessage());
            }
        }
        return failures;
    }
}
