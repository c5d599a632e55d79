package facefarm.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    private static final JobFolder JOB = new JobFolder("acme", "j1");

    @Test
    void keysAreScopedByTenantJobAndAttempt() {
        assertEquals("tenants/acme/jobs/j1/chunks/4/a7.mkv", JOB.chunk(4, "a7", "mkv"));
        assertEquals("tenants/acme/jobs/j1/input/target/clip_1_.mp4", JOB.target("clip(1).mp4"));
        assertEquals("tenants/acme/jobs/j1/input/sources/0-passwd", JOB.source(0, "../../etc/passwd"));
        assertEquals("tenants/acme/jobs/j1/input/target/file", JOB.target(".."));
        assertEquals("tenants/acme/uploads/u1/master.mov", ObjectKeys.upload("acme", "u1", "master.mov"));
    }

    @Test
    void submissionsCannotReferToAnyJobsFolder() {
        assertNotNull(ObjectKeys.keyProblem("tenants/acme/jobs/j1/input/target/clip.mp4"));
        assertNotNull(ObjectKeys.keyProblem("jobs/j1/input/target/clip.mp4"));
        assertNull(ObjectKeys.keyProblem("tenants/acme/uploads/u1/clip.mp4"));
        assertNotNull(ObjectKeys.keyProblem("tenants/acme/uploads/../jobs/j2/x"));
    }

    @Test
    void workMayTouchOnlyItsOwnJobsFolder() {
        assertNull(ObjectKeys.jobKeyProblem("j1", JOB.chunk(0, "a", "mkv")));
        assertNull(ObjectKeys.jobKeyProblem("j1", "tenants/acme/uploads/u1/clip.mp4"));
        assertNotNull(ObjectKeys.jobKeyProblem("j1", new JobFolder("acme", "j2").chunk(0, "a", "mkv")));
        assertNotNull(ObjectKeys.jobKeyProblem("j1", "jobs/j2/input/target/clip.mp4"));
    }
}
