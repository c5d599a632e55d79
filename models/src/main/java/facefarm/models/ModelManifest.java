package facefarm.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models this build knows, read from the manifest shipped in this module. */
public final class ModelManifest {
    private static final String RESOURCE = "/facefarm/models/manifest.json";

    private final Map<String, ModelSpec> models;

    public ModelManifest(List<ModelSpec> models) {
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        for (ModelSpec model : models) {
            if (byId.put(model.id(), model) != null) {
                throw new IllegalArgumentException("model id '" + model.id() + "' appears twice in the manifest");
            }
        }
        this.models = Map.copyOf(byId);
    }

    public static ModelManifest bundled() {
        try (InputStream in = ModelManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model manifest " + RESOURCE + " is missing from the class path");
            }
            Document document = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(in, Document.class);
            return new ModelManifest(document.models());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model manifest " + RESOURCE, e);
        }
    }

    public Optional<ModelSpec> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public ModelSpec get(String id) {
        return find(id).orElseThrow(() -> new ModelNotFoundException("unknown model '" + id + "'; known models: " + String.join(", ", models.keySet())));
    }

    public List<ModelSpec> all() {
        return List.copyOf(models.values());
    }

    private record Document(List<ModelSpec> models) {
    }
}
