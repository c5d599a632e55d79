package facefarm.worker.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptLogTest {
    private final AttemptLog log = AttemptLog.attach();
    private final Logger logger = Logger.getLogger("facefarm.worker.pipeline.ChunkRunner");

    AttemptLogTest() {
        // the build's logging keeps tests quiet; the worker logs at INFO
        logger.setLevel(java.util.logging.Level.INFO);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("").removeHandler(log);
    }

    @Test
    void keepsOnlyTheLinesLoggedWhileTheAttemptRuns() {
        logger.info("before the attempt");
        log.start();
        logger.log(java.util.logging.Level.INFO, "job={0} chunk={1} frames={2}", new Object[] {"j", 3, 16});
        logger.fine("below the worker's level");
        logger.log(java.util.logging.Level.WARNING, "decoder hiccup", new IllegalStateException("bad packet"));
        String text = new String(log.finish(), StandardCharsets.UTF_8);
        logger.info("after the attempt");
        assertTrue(text.contains("INFO ChunkRunner: job=j chunk=3 frames=16"), text);
        assertTrue(text.contains("WARNING ChunkRunner: decoder hiccup\njava.lang.IllegalStateException: bad packet"), text);
        assertFalse(text.contains("before the attempt") || text.contains("after the attempt") || text.contains("below the worker's level"), text);
        assertEquals("", new String(log.finish(), StandardCharsets.UTF_8), "nothing is kept between attempts");
    }

    @Test
    void aFloodKeepsItsLastLinesAndSaysHowManyWentMissing() {
        log.start();
        for (int i = 0; i < AttemptLog.MAX_LINES + 5; i++) {
            logger.info("line " + i);
        }
        String[] lines = new String(log.finish(), StandardCharsets.UTF_8).split("\n");
        assertEquals("... 5 earlier lines not kept", lines[0]);
        assertEquals(AttemptLog.MAX_LINES + 1, lines.length);
        assertTrue(lines[lines.length - 1].endsWith("line " + (AttemptLog.MAX_LINES + 4)), lines[lines.length - 1]);
    }
}
