package facefarm.common.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import facefarm.common.storage.JobFolder;
import org.junit.jupiter.api.Test;

/** One rule names a sidecar, for the CLI's downloads, the workers' files and the bucket's keys alike. */
class ProvenanceCheckRequestTest {

    @Test
    void aSidecarTakesTheFilesNameWithTheExtensionC2pa() {
        assertEquals("out.c2pa", ProvenanceCheckRequest.sidecarName("out.mkv"));
        assertEquals("take.v2.c2pa", ProvenanceCheckRequest.sidecarName("take.v2.mkv"));
        assertEquals("master.c2pa", ProvenanceCheckRequest.sidecarName("master"));
        assertEquals(".hidden.c2pa", ProvenanceCheckRequest.sidecarName(".hidden"), "a leading dot is not an extension");
        assertEquals("jobs/a.b/output/result.c2pa", JobFolder.credentialsSidecar("jobs/a.b/output/result.mkv"));
        assertEquals("jobs/a.b/output/result.c2pa", JobFolder.credentialsSidecar("jobs/a.b/output/result"), "a dot in a folder is not an extension");
    }
}
