package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.provenance.Consent;
import facefarm.common.provenance.SourceConsent;
import facefarm.common.provenance.WatermarkOrigin;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.cli.FarmCli;
import facefarm.deploy.cli.Uploader;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.S3Server;
import facefarm.storage.ObjectStore;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import facefarm.worker.provenance.c2pa.C2paReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responsible output on the real farm: a farm that requires consent refuses a job without it (400, naming the
 * source) and keeps the consent and its document with the job; every output frame carries the watermark naming
 * the farm and the job, and the delivered MP4 carries signed Content Credentials an independent reader validates; ./farm provenance
 * reads the mark back from the delivered file and the farm says which job it was.
 */
class ProvenanceTest {
    private static final String FARM_NAME = "provenance-test-farm";

    @TempDir
    Path dir;

    @Test
    void consentIsRequiredAndKeptAndTheOutputNamesItsJob() throws Exception {
        // the embedded farm's token is of tenant 'default', whose outputs this farm labels and caps at 480 lines
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 1).withEnv(Map.of("FARM_MODEL_PATH",
                SharedFiles.modelsDir().toString(), "FARM_PROVENANCE_CONSENT_REQUIRED", "true", "FARM_PROVENANCE_FARM_NAME", FARM_NAME,
                "FARM_PROVENANCE_LABEL_REQUIRED_TENANTS", "default", "FARM_PROVENANCE_MAX_OUTPUT_HEIGHT_TENANTS", "studio-b=1080,default=480"));
        Path target = SharedFiles.media("face_2.mp4");
        Path face = SharedFiles.media("astronaut.png");
        JobOptions options = new JobOptions(List.of("face_debugger"), 64, "mp4");
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             ObjectStore store = new ObjectStore(farm.s3Endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "facefarm")) {
            CoordinatorClient client = farm.client();

            CoordinatorClient.ApiException refused = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.submit(target, List.of(face), options));
            assertEquals(400, refused.status());
            assertTrue(refused.getMessage().contains("source 0 (astronaut.png) has no consent reference"), refused.getMessage());
            CoordinatorClient.ApiException uneven = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.submit(target, List.of(face), List.of("REL-1", "REL-2"), null, options));
            assertEquals(400, uneven.status());
            assertTrue(uneven.getMessage().contains("one 'consent' part per 'source' part"), uneven.getMessage());

            Uploader uploader = new Uploader(client);
            Path release = Files.writeString(dir.resolve("release-2026-014.txt"), "The undersigned authorises the use of their likeness.");
            String document = uploader.upload(release, n -> { }).key();
            InputFile source = uploader.upload(face, n -> { }).withConsent(new Consent("REL-2026-014", document, null));
            JobStatus job = client.follow(client.submit(new JobSubmission(uploader.upload(target, n -> { }), List.of(source), null, options)).id(),
                    s -> { });
            assertEquals(JobState.DONE, job.state(), job.error());

            WatermarkPayload payload = WatermarkPayload.of(FARM_NAME, UUID.fromString(job.id()));
            assertEquals(payload.hex(), job.provenance().watermark());
            SourceConsent consent = job.provenance().consents().get(0);
            assertEquals("astronaut.png", consent.name());
            assertEquals("REL-2026-014", consent.consent().id());
            assertEquals("local-operator", consent.consent().attestedBy(), "the submitting token attests when the submission does not say");
            assertTrue(consent.consent().document().startsWith("tenants/default/jobs/" + job.id() + "/consent/0-"), consent.consent().document());
            assertTrue(store.exists(consent.consent().document()), "the document is kept with the job");
            assertEquals("AI-generated", job.provenance().label().text(), "the policy's label, as the job gave none");
            assertEquals(480, job.provenance().maxHeight());

            Path output = dir.resolve("out.mp4");
            client.download(job.id(), output);
            VideoInfo delivered = VideoProbe.probe(output);
            assertEquals(480, delivered.height(), "the tenant's cap");
            assertEquals(Math.round(480.0 * VideoProbe.probe(target).width() / VideoProbe.probe(target).height() / 2) * 2, delivered.width());
            assertEquals(125, delivered.frames());
            // its Content Credentials, read by the C2PA SDK, trusting this farm's local root
            JsonNode credentials = C2paReader.read(output, "video/mp4", LocalFarm.c2paDir(dir.resolve("home")).resolve("root.pem"));
            assertEquals("Trusted", credentials.path("validation_state").asText(), credentials.toPrettyString());
            JsonNode manifest = credentials.path("manifests").path(credentials.path("active_manifest").asText());
            String record = manifest.path("assertions").toString();
            assertTrue(record.contains("\"job\":\"" + job.id() + "\""), record);
            assertTrue(record.contains("\"id\":\"REL-2026-014\"") && record.contains("\"attestedBy\":\"local-operator\""), record);
            assertTrue(record.contains("compositeWithTrainedAlgorithmicMedia"), record);
            assertTrue(record.contains("\"watermark\":\"" + payload.hex() + "\""), record);
            String report = provenance(farm, output.toString());
            assertTrue(report.contains("watermark: payload " + payload.hex()), report);
            // an H.264 output at 480 lines: a frame's word may lose a bit now and then; the lossless render reads with none (FarmRenderEndToEndTest)
            java.util.regex.Matcher rate = java.util.regex.Pattern.compile("bit error rate ([0-9.]+) %").matcher(report);
            assertTrue(rate.find() && Double.parseDouble(rate.group(1)) < 1.0, report);
            assertTrue(report.contains("farm: this farm (" + FARM_NAME + ")"), report);
            assertTrue(report.contains("job: " + job.id() + " DONE"), report);
            assertTrue(report.contains("content credentials (embedded): valid (signature, assertions and the file's hash check out)"), report);
            assertTrue(report.contains("source astronaut.png: consent REL-2026-014, attested by local-operator"), report);

            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> inside = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(farm.apiUrl()
                    + "/api/v1/jobs/" + job.id() + "/output/credentials")).header("Authorization", "Bearer " + farm.token()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(404, inside.statusCode());
            assertTrue(inside.body().contains("its Content Credentials are inside the mp4 file"), inside.body());
            assertEquals(null, client.download(job.id(), dir.resolve("again.mp4")), "an mp4 has no sidecar");

            // a lossless master cannot hold them: the API serves its sidecar, and the CLI fetches it beside the video
            InputFile master = uploader.upload(face, n -> { }).withConsent(new Consent("REL-2026-014", null, "legal@studio"));
            JobStatus lossless = client.follow(client.submit(new JobSubmission(uploader.upload(target, n -> { }), List.of(master), null,
                    new JobOptions(List.of("face_debugger"), 64, "mkv"))).id(), s -> { });
            assertEquals(JobState.DONE, lossless.state(), lossless.error());
            java.net.http.HttpResponse<Void> redirect = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(farm.apiUrl()
                    + "/api/v1/jobs/" + lossless.id() + "/output/credentials")).header("Authorization", "Bearer " + farm.token()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(303, redirect.statusCode());
            assertTrue(redirect.headers().firstValue("Location").orElse("").contains("result.c2pa"), redirect.headers().toString());
            Path mkv = dir.resolve("master.mkv");
            assertEquals(dir.resolve("master.c2pa"), client.download(lossless.id(), mkv));
            JsonNode sidecar = C2paReader.readSidecar(dir.resolve("master.c2pa"), mkv, LocalFarm.c2paDir(dir.resolve("home")).resolve("root.pem"));
            assertEquals(sidecar.path("sidecar").path("asset_sha256").asText(), sidecar.path("sidecar").path("declared_sha256").asText(), sidecar.toString());
            assertTrue(sidecar.path("validation_results").path("activeManifest").path("success").toString().contains("signingCredential.trusted"),
                    sidecar.toString());
            String masterReport = provenance(farm, mkv.toString());
            assertTrue(masterReport.contains("content credentials (sidecar master.c2pa): valid"), masterReport);
            assertTrue(masterReport.contains("source astronaut.png: consent REL-2026-014, attested by legal@studio"), masterReport);
            assertTrue(masterReport.contains("job: " + lossless.id() + " DONE"), masterReport);

            // the same reads on one of the farm's workers: the file (and its sidecar) uploaded, a check queued, its report printed alike
            String remote = provenance(farm, output.toString(), "--on-farm");
            assertTrue(remote.startsWith("checked on the farm: check "), remote);
            assertTrue(remote.contains("content credentials (embedded): valid"), remote);
            assertTrue(remote.contains("watermark: payload " + payload.hex()), remote);
            assertTrue(remote.contains("job: " + job.id() + " DONE"), remote);
            String remoteMaster = provenance(farm, mkv.toString(), "--on-farm");
            assertTrue(remoteMaster.contains("content credentials (sidecar master.c2pa): valid"), remoteMaster);
            assertTrue(remoteMaster.contains("job: " + lossless.id() + " DONE"), remoteMaster);
            ByteArrayOutputStream remoteRefusal = new ByteArrayOutputStream();
            int remoteExit = new FarmCli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(remoteRefusal, true,
                    StandardCharsets.UTF_8), dir.resolve("home"), FarmLayout.detect()).run(new String[] {"provenance", release.toString(), "--on-farm",
                    "--api", farm.apiUrl()});
            assertEquals(2, remoteExit, remoteRefusal.toString(StandardCharsets.UTF_8));
            assertEquals("error: release-2026-014.txt is not a video or image this farm can decode, so it has no watermark to read\n",
                    remoteRefusal.toString(StandardCharsets.UTF_8));
            CoordinatorClient.ApiException foreign = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.startProvenanceCheck("tenants/studio-b/uploads/x/clip.mp4", null, 48));
            assertEquals(400, foreign.status());
            assertTrue(foreign.getMessage().contains("is not one of tenant default's"), foreign.getMessage());
            CoordinatorClient.ApiException missing = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.startProvenanceCheck("tenants/default/uploads/nothing/here.mp4", null, 48));
            assertEquals(400, missing.status());
            assertTrue(missing.getMessage().contains("there is no object at tenants/default/uploads/nothing/here.mp4"), missing.getMessage());
            CoordinatorClient.ApiException tooMany = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.startProvenanceCheck(document, null, 100000));
            assertEquals(400, tooMany.status());
            java.net.http.HttpResponse<String> badBody = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(farm.apiUrl()
                    + "/api/v1/provenance/checks")).header("Authorization", "Bearer " + farm.token()).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"key\": \"" + document + "\", \"frames\": \"lots\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badBody.statusCode());
            assertTrue(badBody.body().contains("the body is not a provenance check"), badBody.body());
            CoordinatorClient.ApiException unknown = assertThrows(CoordinatorClient.ApiException.class,
                    () -> client.provenanceCheck(UUID.randomUUID().toString()));
            assertEquals(404, unknown.status());

            String clean = provenance(farm, target.toString());
            assertTrue(clean.contains("content credentials: none"), clean);
            assertTrue(clean.contains("watermark: none found in 48 frame(s)"), clean);
            ByteArrayOutputStream refusal = new ByteArrayOutputStream();
            int exit = new FarmCli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(refusal, true,
                    StandardCharsets.UTF_8), dir.resolve("home"), FarmLayout.detect()).run(new String[] {"provenance", release.toString()});
            assertEquals(2, exit, "a file that is not media is the user's mistake");
            assertEquals("error: " + release + " is not a video or image this farm can decode, so it has no watermark to read\n",
                    refusal.toString(StandardCharsets.UTF_8));

            WatermarkOrigin elsewhere = client.watermarkOrigin(WatermarkPayload.of("another-farm", UUID.fromString(job.id())).hex());
            assertFalse(elsewhere.thisFarm());
            assertTrue(elsewhere.jobs().isEmpty());
            CoordinatorClient.ApiException malformed = assertThrows(CoordinatorClient.ApiException.class, () -> client.watermarkOrigin("not-a-payload"));
            assertEquals(400, malformed.status());
            assertTrue(malformed.getMessage().contains("16 hex digits"), malformed.getMessage());
        }
    }

    /** What ./farm provenance FILE --api URL [FLAGS] prints, with the farm's operator token. */
    private String provenance(LocalFarm farm, String file, String... flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("provenance", file, "--api", farm.apiUrl()));
        args.addAll(List.of(flags));
        int exit = new FarmCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir.resolve("home"), FarmLayout.detect()).run(args.toArray(String[]::new));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
