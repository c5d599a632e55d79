package facefarm.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void keysAreScopedByJobAndAttempt() {
        assertEquals("jobs/j1/chunks/4/a7.mkv", ObjectKeys.chunk("j1", 4, "a7", "mkv"));
        assertEquals("jobs/j1/input/target/clip_1_.mp4", ObjectKeys.target("j1", "clip(1).mp4"));
        assertEquals("jobs/j1/input/sources/0-passwd", ObjectKeys.source("j1", 0, "../../etc/passwd"));
        assertEquals("jobs/j1/input/target/file", ObjectKeys.target("j1", ".."));
    }
}
