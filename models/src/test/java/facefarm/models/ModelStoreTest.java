package facefarm.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against a real HTTP server on loopback that serves byte ranges. */
class ModelStoreTest {
    private static final byte[] WEIGHTS = "pretend these are 48 bytes of model weights...".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicReference<String> lastRange = new AtomicReference<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/m.onnx", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            lastRange.set(range);
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
            exchange.sendResponseHeaders(range == null ? 200 : 206, WEIGHTS.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(WEIGHTS, from, WEIGHTS.length - from);
            }
        });
        server.createContext("/ff/good.onnx", exchange -> {
            exchange.sendResponseHeaders(200, WEIGHTS.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(WEIGHTS);
            }
        });
        server.createContext("/ff/good.hash", exchange -> {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(WEIGHTS);
            byte[] hash = String.format("%08x\n", crc.getValue()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, hash.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(hash);
            }
        });
        server.createContext("/ff/bad.onnx", exchange -> {
            exchange.sendResponseHeaders(200, WEIGHTS.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(WEIGHTS);
            }
        });
        server.createContext("/ff/bad.hash", exchange -> {
            byte[] hash = "deadbeef".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, hash.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(hash);
            }
        });
        server.createContext("/missing.onnx", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private ModelManifest manifest(String sha, String... urls) {
        return new ModelManifest(List.of(new ModelSpec("tiny", "test", "tiny.onnx", List.of("tiny_alias.onnx"), sha, WEIGHTS.length, "MIT", true, List.of(urls))));
    }

    @Test
    void findsAModelInTheSearchPathUnderAnAlias() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("models"));
        Files.write(folder.resolve("tiny_alias.onnx"), WEIGHTS);
        ModelStore store = new ModelStore(manifest(sha256(WEIGHTS)), List.of(dir.resolve("empty"), folder), dir.resolve("cache"), false);
        assertEquals(folder.resolve("tiny_alias.onnx"), store.resolve("tiny"));
    }

    @Test
    void downloadsVerifiesAndCaches() throws Exception {
        ModelStore store = new ModelStore(manifest(sha256(WEIGHTS), url("/missing.onnx"), url("/m.onnx")), List.of(), dir.resolve("cache"), true);
        Path file = store.resolve("tiny");
        assertArrayEquals(WEIGHTS, Files.readAllBytes(file));
        assertEquals(dir.resolve("cache/tiny.onnx"), file);
        server.stop(0);
        assertEquals(file, store.resolve("tiny"), "the cached copy is used without the network");
    }

    @Test
    void resumesAPartialDownload() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.write(cache.resolve("tiny.onnx.part"), java.util.Arrays.copyOf(WEIGHTS, 20));
        ModelStore store = new ModelStore(manifest(sha256(WEIGHTS), url("/m.onnx")), List.of(), cache, true);
        assertArrayEquals(WEIGHTS, Files.readAllBytes(store.resolve("tiny")));
        assertEquals("bytes=20-", lastRange.get());
    }

    @Test
    void rejectsADownloadWhoseHashDiffers() {
        ModelStore store = new ModelStore(manifest("00".repeat(32), url("/m.onnx")), List.of(), dir.resolve("cache"), true);
        ModelNotFoundException error = assertThrows(ModelNotFoundException.class, () -> store.resolve("tiny"));
        assertTrue(error.getMessage().contains("does not match"), error.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/tiny.onnx")), "a corrupt download is never left as the model");
    }

    @Test
    void missingModelSaysWhereItLookedAndWhatToDo() {
        ModelStore store = new ModelStore(manifest(null, "http://127.0.0.1:1/nothing.onnx"), List.of(dir.resolve("a")), dir.resolve("cache"), false);
        String message = assertThrows(ModelNotFoundException.class, () -> store.resolve("tiny")).getMessage();
        assertTrue(message.contains("'tiny'"), message);
        assertTrue(message.contains(dir.resolve("a").toString()), message);
        assertTrue(message.contains("http://127.0.0.1:1/nothing.onnx"), message);
        assertTrue(message.contains("FARM_MODEL_PATH"), message);
        assertThrows(ModelNotFoundException.class, () -> store.resolve("no_such_model"));
    }

    @Test
    void truncatedFileInTheSearchPathIsAnError() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("models"));
        Files.write(folder.resolve("tiny.onnx"), new byte[3]);
        ModelStore store = new ModelStore(manifest(null), List.of(folder), dir.resolve("cache"), false);
        assertTrue(assertThrows(ModelNotFoundException.class, () -> store.resolve("tiny")).getMessage().contains("truncated"));
    }

    @Test
    void bundledManifestKnowsTheDefaultDetector() {
        ModelSpec yunet = ModelManifest.bundled().get("yunet_2023_mar");
        assertEquals(232589, yunet.size());
        assertTrue(yunet.commercialUse());
        String shared = System.getenv("FARM_MODEL_PATH");
        if (shared != null && Files.isRegularFile(Path.of(shared.split(":")[0], "face_detection_yunet_2023mar.onnx"))) {
            ModelStore store = new ModelStore(ModelManifest.bundled(), List.of(Path.of(shared.split(":")[0])), dir, false);
            assertTrue(store.resolve("yunet_2023_mar").toString().endsWith("face_detection_yunet_2023mar.onnx"));
        }
    }

    private ModelManifest faceFusionStyle(String url, boolean commercial) {
        return new ModelManifest(List.of(new ModelSpec("ff", "test", "ff.onnx", List.of(), null, 0, "InsightFace Non-Commercial", commercial, List.of(url))));
    }

    @Test
    void faceFusionsPublishedCrc32IsChecked() throws Exception {
        ModelStore good = new ModelStore(faceFusionStyle(url("/ff/good.onnx"), true), List.of(), dir.resolve("a"), true);
        assertArrayEquals(WEIGHTS, Files.readAllBytes(good.resolve("ff")));
        ModelStore bad = new ModelStore(faceFusionStyle(url("/ff/bad.onnx"), true), List.of(), dir.resolve("b"), true);
        String message = assertThrows(ModelNotFoundException.class, () -> bad.resolve("ff")).getMessage();
        assertTrue(message.contains("does not match the published hash deadbeef"), message);
        assertFalse(Files.exists(dir.resolve("b/ff.onnx")));
        ModelStore unverifiable = new ModelStore(faceFusionStyle(url("/m.onnx"), true), List.of(), dir.resolve("c"), true);
        assertTrue(assertThrows(ModelNotFoundException.class, () -> unverifiable.resolve("ff")).getMessage().contains("no published .hash"));
    }

    @Test
    void aNonCommercialModelNeedsTheOperatorsAcceptance() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("models"));
        Files.write(folder.resolve("ff.onnx"), WEIGHTS);
        ModelManifest manifest = faceFusionStyle(url("/ff/good.onnx"), false);
        LicenseNotAcceptedException refused = assertThrows(LicenseNotAcceptedException.class,
                () -> new ModelStore(manifest, List.of(folder), dir, false).resolve("ff"));
        assertTrue(refused.getMessage().contains("FARM_ACCEPT_LICENSES=ff"), refused.getMessage());
        assertEquals(folder.resolve("ff.onnx"), new ModelStore(manifest, List.of(folder), dir, false, java.util.Set.of("ff")).resolve("ff"));
        assertEquals(folder.resolve("ff.onnx"),
                new ModelStore(manifest, List.of(folder), dir, false, java.util.Set.of("InsightFace Non-Commercial")).resolve("ff"));
    }

    @Test
    void everyManifestEntryHasALicenceAndAtLeastTwoDownloadProviders() {
        for (ModelSpec spec : ModelManifest.bundled().all()) {
            assertFalse(spec.license() == null || spec.license().isBlank(), spec.id());
            assertTrue(spec.urls().size() >= 2, spec.id() + " has " + spec.urls());
            if (spec.urls().stream().anyMatch(u -> u.contains("/facefusion/"))) {
                assertTrue(spec.urls().stream().anyMatch(u -> u.startsWith("https://huggingface.co/facefusion/")), spec.id());
            } else {
                // not FaceFusion's: no published .hash beside it, so the manifest's sha256 is what verifies a download
                assertEquals(64, spec.sha256().length(), spec.id());
            }
        }
        assertFalse(ModelManifest.bundled().get("arcface_w600k_r50").commercialUse());
        assertFalse(ModelManifest.bundled().get("scrfd_2.5g").commercialUse());
    }
}
