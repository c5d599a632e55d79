package facefarm.worker.provenance.c2pa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.ModelUse;
import facefarm.common.provenance.Consent;
import facefarm.common.provenance.ProvenanceReport;
import facefarm.common.provenance.RenderRecord;
import facefarm.common.provenance.SourceConsent;
import facefarm.worker.SharedFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content Credentials on a real MP4, checked by an independent reader (the C2PA SDK's WASM build under Node.js). */
class ContentCredentialsTest {
    private static final RenderRecord RENDER = new RenderRecord("3f6c2a91-5d7e-4b08-9a1c-0e2f4d6b8a7c", "studio-farm", "7bd83f6c2a915d7e",
            List.of("mesh_swapper"), List.of(new ModelUse("face_landmark_468", "face_landmark_468.onnx", "Apache-2.0", true)),
            List.of(new SourceConsent(0, "astronaut.png", new Consent("REL-2026-014", null, "legal@studio"))));

    @TempDir
    static Path dir;
    private static SigningCredentials credentials;

    @BeforeAll
    static void credentials() {
        credentials = SigningCredentials.local(dir.resolve("c2pa"), "facefarm");
    }

    @Test
    void aSignedMp4ValidatesAndSaysWhatMadeIt() throws Exception {
        Path file = signedCopy("signed.mp4");
        JsonNode report = C2paReader.read(file, "video/mp4", dir.resolve("c2pa/root.pem"));
        assertEquals("Trusted", report.path("validation_state").asText(), report.toPrettyString());
        assertTrue(report.path("validation_status").isMissingNode() || report.path("validation_status").isEmpty(), report.toPrettyString());
        List<String> passed = codes(report.path("validation_results").path("activeManifest").path("success"));
        assertTrue(passed.contains("assertion.bmffHash.match") && passed.contains("claimSignature.validated"), passed.toString());
        JsonNode manifest = report.path("manifests").path(report.path("active_manifest").asText());
        JsonNode action = assertion(manifest, "c2pa.actions.v2").path("actions").get(0);
        assertEquals("c2pa.created", action.path("action").asText());
        assertEquals(ContentCredentials.DIGITAL_SOURCE_TYPE, action.path("digitalSourceType").asText());
        JsonNode render = assertion(manifest, ContentCredentials.RENDER_ASSERTION);
        assertEquals(RENDER.jobId(), render.path("job").asText());
        assertEquals("7bd83f6c2a915d7e", render.path("watermark").asText());
        assertEquals("Apache-2.0", render.path("models").get(0).path("license").asText());
        assertEquals("REL-2026-014", render.path("consents").get(0).path("id").asText());
        assertEquals("legal@studio", render.path("consents").get(0).path("attestedBy").asText());
    }

    @Test
    void theLocalCredentialsAreReadBackFromTheirFiles() throws Exception {
        SigningCredentials again = SigningCredentials.local(dir.resolve("c2pa"), "facefarm");
        assertEquals(credentials.chain(), again.chain(), "made once, then read");
        Path file = dir.resolve("reread.mp4");
        Files.copy(SharedFiles.media("face_2.mp4"), file, StandardCopyOption.REPLACE_EXISTING);
        Mp4Credentials.sign(file, new ContentCredentials("facefarm", "test"), RENDER, again);
        assertEquals(ProvenanceReport.CredentialsStatus.VALID, CredentialsCheck.check(file).status());
    }

    @Test
    void theLocalKeyIsValidButTrustedByNoOne() throws Exception {
        JsonNode report = C2paReader.read(signedCopy("local.mp4"), "video/mp4", null);
        assertEquals("Valid", report.path("validation_state").asText(), report.toPrettyString());
        assertEquals(List.of("signingCredential.untrusted"), codes(report.path("validation_status")));
        assertTrue(credentials.local());
    }

    @Test
    void aChangedPictureNoLongerMatchesItsCredentials() throws Exception {
        Path file = signedCopy("tampered.mp4");
        flipMiddleByte(file);
        JsonNode report = C2paReader.read(file, "video/mp4", dir.resolve("c2pa/root.pem"));
        assertTrue(codes(report.path("validation_status")).contains("assertion.bmffHash.mismatch"), report.path("validation_status").toString());
        assertEquals("Invalid", report.path("validation_state").asText());
    }

    @Test
    void theFarmsOwnCheckAgreesWithTheSdk() throws Exception {
        ProvenanceReport.Credentials signed = CredentialsCheck.check(signedCopy("own-check.mp4"));
        assertEquals(ProvenanceReport.CredentialsStatus.VALID, signed.status(), signed.problem());
        assertEquals("embedded", signed.location());
        assertEquals("facefarm local C2PA signer (not publicly trusted)", signed.signer().name());
        assertTrue(signed.signer().localKey());
        assertEquals(ContentCredentials.DIGITAL_SOURCE_TYPE, signed.digitalSourceType());
        assertEquals(RENDER.jobId(), signed.render().get("job"));
        assertEquals(ProvenanceReport.CredentialsStatus.NONE, CredentialsCheck.check(SharedFiles.media("face_2.mp4")).status());
        Path tampered = signedCopy("own-check-tampered.mp4");
        flipMiddleByte(tampered);
        ProvenanceReport.Credentials changed = CredentialsCheck.check(tampered);
        assertEquals(ProvenanceReport.CredentialsStatus.INVALID, changed.status());
        assertTrue(changed.problem().contains("hash does not match"), changed.problem());
    }

    /**
     * A file that cannot hold credentials (an AVI here; a Matroska master in the farm) gets a sidecar. The SDK checks
     * its signature and assertions and decodes its data hash, which must be the file's own SHA-256 (by Node.js); the
     * SDK's own data hash check reads the sidecar itself, having no reader for the file, so that one fails by design.
     */
    @Test
    void aSidecarBindsAFileThatCannotHoldCredentials() throws Exception {
        Path master = dir.resolve("master.avi");
        Files.copy(SharedFiles.media("Megamind.avi"), master, StandardCopyOption.REPLACE_EXISTING);
        Path sidecar = SidecarCredentials.sidecarOf(master);
        assertEquals("master.c2pa", sidecar.getFileName().toString());
        try (var in = Files.newInputStream(master)) {
            Files.write(sidecar, SidecarCredentials.manifestStore(in, new ContentCredentials("facefarm", "test"), RENDER, credentials));
        }
        JsonNode report = C2paReader.readSidecar(sidecar, master, dir.resolve("c2pa/root.pem"));
        List<String> passed = codes(report.path("validation_results").path("activeManifest").path("success"));
        assertTrue(passed.contains("claimSignature.validated") && passed.contains("signingCredential.trusted"), report.toPrettyString());
        assertEquals(List.of("assertion.dataHash.mismatch"), codes(report.path("validation_results").path("activeManifest").path("failure")),
                "only the SDK's hash of the sidecar itself fails: " + report.toPrettyString());
        assertEquals(report.path("sidecar").path("asset_sha256").asText(), report.path("sidecar").path("declared_sha256").asText(),
                "the manifest's data hash is the file's SHA-256");
        assertEquals(0, report.path("sidecar").path("exclusions").asInt());
        JsonNode manifest = report.path("manifests").path(report.path("active_manifest").asText());
        assertEquals(ContentCredentials.DIGITAL_SOURCE_TYPE, assertion(manifest, "c2pa.actions.v2").path("actions").get(0).path("digitalSourceType").asText());
        assertEquals("REL-2026-014", assertion(manifest, ContentCredentials.RENDER_ASSERTION).path("consents").get(0).path("id").asText());

        ProvenanceReport.Credentials own = CredentialsCheck.check(master);
        assertEquals(ProvenanceReport.CredentialsStatus.VALID, own.status(), own.problem());
        assertEquals("sidecar master.c2pa", own.location());
        assertEquals(RENDER.jobId(), own.render().get("job"));

        flipMiddleByte(master);
        ProvenanceReport.Credentials changed = CredentialsCheck.check(master);
        assertEquals(ProvenanceReport.CredentialsStatus.INVALID, changed.status());
        assertTrue(changed.problem().contains("does not match its sidecar"), changed.problem());
        JsonNode again = C2paReader.readSidecar(sidecar, master, dir.resolve("c2pa/root.pem"));
        assertTrue(!again.path("sidecar").path("asset_sha256").asText().equals(again.path("sidecar").path("declared_sha256").asText()));
    }

    /** One changed byte in the middle of the file: in its pictures. */
    private static void flipMiddleByte(Path file) throws Exception {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(raw.length() / 2);
            int b = raw.read();
            raw.seek(raw.length() / 2);
            raw.write(b ^ 0xff);
        }
    }

    private static Path signedCopy(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.copy(SharedFiles.media("face_2.mp4"), file, StandardCopyOption.REPLACE_EXISTING);
        Mp4Credentials.sign(file, new ContentCredentials("facefarm", "test"), RENDER, credentials);
        return file;
    }

    private static JsonNode assertion(JsonNode manifest, String label) {
        return StreamSupport.stream(manifest.path("assertions").spliterator(), false).filter(a -> label.equals(a.path("label").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " assertion in " + manifest)).path("data");
    }

    private static List<String> codes(JsonNode statuses) {
        return StreamSupport.stream(statuses.spliterator(), false).map(s -> s.path("code").asText()).toList();
    }
}
