package facefarm.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds model files: first in the folders of the search path (FARM_MODEL_PATH), then in the local cache, then by
 * downloading into the cache from the manifest's URLs (resuming a partial download), checking size and sha256.
 */
public final class ModelStore {
    private static final System.Logger LOG = System.getLogger(ModelStore.class.getName());

    private final ModelManifest manifest;
    private final List<Path> searchPath;
    private final Path cacheDir;
    private final boolean downloads;
    private final java.util.Set<String> acceptedLicenses;
    private final HttpClient http;

    public ModelStore(ModelManifest manifest, List<Path> searchPath, Path cacheDir, boolean downloads) {
        this(manifest, searchPath, cacheDir, downloads, java.util.Set.of());
    }

    /**
     * @param acceptedLicenses model ids or licence names the operator accepted; a model not licensed for commercial use
     *                         is only handed out when one of them names it
     */
    public ModelStore(ModelManifest manifest, List<Path> searchPath, Path cacheDir, boolean downloads, java.util.Set<String> acceptedLicenses) {
        this.manifest = manifest;
        this.searchPath = List.copyOf(searchPath);
        this.cacheDir = cacheDir;
        this.downloads = downloads;
        this.acceptedLicenses = java.util.Set.copyOf(acceptedLicenses);
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(15)).build();
    }

    /** FARM_MODEL_PATH (folders separated by ':'), cache FARM_MODEL_CACHE or $FARM_HOME/models; FARM_OFFLINE=1 stops downloads. */
    public static ModelStore fromEnvironment() {
        String path = System.getenv().getOrDefault("FARM_MODEL_PATH", "");
        List<Path> folders = Arrays.stream(path.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
        String cache = System.getenv("FARM_MODEL_CACHE");
        Path cacheDir = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getenv().getOrDefault("FARM_HOME", ".farm"), "models");
        java.util.Set<String> accepted = Arrays.stream(System.getenv().getOrDefault("FARM_ACCEPT_LICENSES", "").split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).collect(java.util.stream.Collectors.toSet());
        return new ModelStore(ModelManifest.bundled(), folders, cacheDir, !"1".equals(System.getenv("FARM_OFFLINE")), accepted);
    }

    /** This store with more licences accepted (model ids or licence names), as --accept-license gives them. */
    public ModelStore acceptingLicenses(java.util.Collection<String> more) {
        java.util.Set<String> all = new java.util.HashSet<>(acceptedLicenses);
        all.addAll(more);
        return new ModelStore(manifest, searchPath, cacheDir, downloads, all);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** Whether the operator accepted this model's licence (always true for models licensed for commercial use). */
    public boolean licenseAccepted(String modelId) {
        ModelSpec spec = manifest.get(modelId);
        return spec.commercialUse() || acceptedLicenses.contains(spec.id()) || acceptedLicenses.contains(spec.license());
    }

    /** Whether a model can be used without downloading anything: its file is here and its licence is accepted. */
    public boolean installed(String modelId) {
        return licenseAccepted(modelId) && local(manifest.get(modelId)) != null;
    }

    /** The local file of a model, downloading it if needed; a {@link ModelNotFoundException} says what to do otherwise. */
    public Path resolve(String modelId) {
        ModelSpec spec = manifest.get(modelId);
        if (!licenseAccepted(modelId)) {
            throw new LicenseNotAcceptedException("model '" + spec.id() + "' is licensed '" + spec.license()
                    + "', which does not allow commercial use; it is used only once the operator accepts it: FARM_ACCEPT_LICENSES="
                    + spec.id() + " or --accept-license " + spec.id() + " (or the licence name)");
        }
        Path local = local(spec);
        if (local != null) {
            checkSize(spec, local);
            return local;
        }
        Path cached = cacheDir.resolve(spec.file());
        List<String> failures = new ArrayList<>();
        if (downloads) {
            for (String url : spec.urls()) {
                try {
                    return download(spec, URI.create(url), cached);
                } catch (IOException | RuntimeException e) {
                    // a refused connection has no message; its kind is the reason
                    String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                    failures.add(url + ": " + reason);
                    LOG.log(Level.WARNING, "model={0} url={1} download failed: {2}", spec.id(), url, reason);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModelNotFoundException("interrupted while downloading model '" + spec.id() + "'", e);
                }
            }
        }
        throw new ModelNotFoundException("model '" + spec.id() + "' (" + String.join(" or ", spec.fileNames()) + ") is not in FARM_MODEL_PATH "
                + searchPath + " nor in the cache " + cacheDir
                + (downloads ? " and could not be downloaded: " + String.join("; ", failures) : " and downloads are off (FARM_OFFLINE=1)")
                + ". Put the file in one of those folders (from " + String.join(" or ", spec.urls()) + ") or add its folder to FARM_MODEL_PATH.");
    }

    private Path local(ModelSpec spec) {
        for (Path folder : searchPath) {
            for (String name : spec.fileNames()) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        Path cached = cacheDir.resolve(spec.file());
        return Files.isRegularFile(cached) ? cached : null;
    }

    private static void checkSize(ModelSpec spec, Path file) {
        try {
            long size = Files.size(file);
            if (spec.size() > 0 && size != spec.size()) {
                throw new ModelNotFoundException("model file " + file + " has " + size + " bytes but model '" + spec.id() + "' has "
                        + spec.size() + "; the file is truncated or a different model: replace it");
            }
        } catch (IOException e) {
            throw new ModelNotFoundException("cannot read model file " + file, e);
        }
    }

    private Path download(ModelSpec spec, URI url, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        LOG.log(Level.INFO, "model={0} downloading from {1} (resuming at {2} bytes)", spec.id(), url, have);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        boolean resumed = response.statusCode() == 206;
        if (response.statusCode() != 200 && !resumed) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(out);
        }
        verify(spec, partial);
        verifyPublishedHash(spec, url, partial);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * FaceFusion publishes a CRC32 (8 hex digits) beside each model as FILE.hash. It is checked when present, and
     * required when the manifest has no sha256 for the model.
     */
    private void verifyPublishedHash(ModelSpec spec, URI url, Path file) throws IOException, InterruptedException {
        String path = url.getPath();
        String expected = null;
        if (path.endsWith(".onnx")) {
            URI hashUrl = url.resolve(path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.onnx$", ".hash"));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(hashUrl).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                expected = response.body().trim().toLowerCase(java.util.Locale.ROOT);
            }
        }
        if (expected == null) {
            if (spec.sha256() == null || spec.sha256().isBlank()) {
                Files.delete(file);
                throw new IOException("no published .hash to verify it against, and the manifest has no sha256");
            }
            return;
        }
        String actual = crc32(file);
        if (!actual.equals(expected)) {
            Files.delete(file);
            throw new IOException("CRC32 " + actual + " does not match the published hash " + expected);
        }
    }

    static String crc32(Path file) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    private static void verify(ModelSpec spec, Path file) throws IOException {
        long size = Files.size(file);
        if (spec.size() > 0 && size != spec.size()) {
            if (size > spec.size()) {
                Files.delete(file);
            }
            throw new IOException("got " + size + " bytes, expected " + spec.size());
        }
        if (spec.sha256() != null && !spec.sha256().isBlank()) {
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(spec.sha256())) {
                Files.delete(file);
                throw new IOException("sha256 " + actual + " does not match the manifest's " + spec.sha256());
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
