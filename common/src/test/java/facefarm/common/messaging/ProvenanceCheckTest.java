package facefarm.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.provenance.ProvenanceReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceCheckTest {
    private static final String CHECK = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

    @Test
    void aCheckReadsOnlyItsTenantsObjectsAndAFewFrames() {
        ProvenanceCheck check = new ProvenanceCheck(CHECK, "studio-a", "tenants/studio-a/uploads/u1/clip.mkv", "tenants/studio-a/uploads/u2/clip.c2pa", 48);
        assertEquals(check, Messages.decode(Messages.encode("coordinator", null, check), ProvenanceCheck.class).payload());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> new ProvenanceCheck(CHECK, "studio-a", "tenants/studio-b/uploads/u1/clip.mkv", null, 48));
        assertTrue(foreign.getMessage().contains("not one of tenant studio-a's"), foreign.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheck(CHECK, "studio-a", "tenants/studio-a/uploads/../x", null, 48));
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheck(CHECK, "studio-a", "tenants/studio-a/uploads/u1/clip.mkv", null, 0));
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheck(CHECK, "studio-a", "tenants/studio-a/uploads/u1/clip.mkv", null,
                ProvenanceCheck.MAX_FRAMES + 1));
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheck("not-a-uuid", "studio-a", "tenants/studio-a/uploads/u1/c.mkv", null, 1));
    }

    @Test
    void aResultCarriesAReportOrAnErrorAndRoundTrips() {
        ProvenanceReport report = new ProvenanceReport(new ProvenanceReport.Watermark(48, "7ae3f051f7a14dff", 0.002, 0.95, 1),
                new ProvenanceReport.Credentials(ProvenanceReport.CredentialsStatus.VALID, null, "sidecar clip.c2pa",
                        new ProvenanceReport.Signer("facefarm local C2PA signer (not publicly trusted)", "facefarm", true),
                        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
                        Map.of("job", "f051f7a1-4dff-4833-831a-9c8f85e6163f", "consents", List.of(Map.of("id", "REL-1")))));
        ProvenanceCheckResult sent = new ProvenanceCheckResult(CHECK, "worker-1", report, null);
        ProvenanceCheckResult received = Messages.decode(Messages.encode("worker-1", null, sent), ProvenanceCheckResult.class).payload();
        assertEquals(sent, received);
        assertTrue(received.report().watermark().found());
        assertEquals(MessageType.PROVENANCE_CHECK_RESULT, Messages.typeOf(Messages.encode("worker-1", null, sent)));
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheckResult(CHECK, "worker-1", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ProvenanceCheckResult(CHECK, "worker-1", report, "and an error"));
    }
}
