package facefarm.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.messaging.Fence;
import org.junit.jupiter.api.Test;

class FenceBookTest {
    private static final String JOB = "0b5cd4f2-8f3e-4d3a-9a57-1c1f6a0e2b11";
    private static final String OTHER = "7e3f1a20-5b6c-4d8e-9f01-23456789abcd";

    @Test
    void everythingIsWantedUntilAFenceSaysOtherwise() {
        FenceBook book = new FenceBook();
        assertTrue(book.wanted(JOB, 0));
        assertTrue(book.wanted(JOB, 0, 3, 1));
    }

    @Test
    void aNewerAttemptSupersedesOlderOffersOfItsChunkOnly() {
        FenceBook book = new FenceBook();
        book.apply(Fence.chunk(JOB, 3, 2));
        assertFalse(book.wanted(JOB, 0, 3, 1), "attempt 1 of chunk 3 was superseded");
        assertTrue(book.wanted(JOB, 0, 3, 2), "the current attempt runs");
        assertTrue(book.wanted(JOB, 0, 3, 3), "a later attempt, offered before its fence arrived, runs");
        assertTrue(book.wanted(JOB, 0, 4, 1), "other chunks are not touched");
        assertEquals("attempt 2 superseded it", book.why(JOB, 0, 3, 1));
        book.apply(Fence.chunk(JOB, 3, 1));
        assertFalse(book.wanted(JOB, 0, 3, 1), "a late, older fence does not lower the minimum");
    }

    @Test
    void anEndedJobWantsNothingMoreAndStaysEnded() {
        FenceBook book = new FenceBook();
        book.apply(Fence.chunk(JOB, 0, 2));
        book.apply(Fence.jobClosed(JOB, 0));
        assertFalse(book.wanted(JOB, 0));
        assertFalse(book.wanted(JOB, 0, 0, 2));
        assertFalse(book.wanted(JOB, 0, 5, 1));
        assertEquals("its job has ended", book.why(JOB, 0, 5, 1));
        assertTrue(book.wanted(OTHER, 0, 0, 1), "other jobs run");
        book.remove(JOB);
        assertTrue(book.wanted(JOB, 0), "a tombstone forgets the job");
    }

    @Test
    void aRetriedJobsOffersRunWhileTheFenceOfItsEarlierRunStays() {
        FenceBook book = new FenceBook();
        book.apply(Fence.jobClosed(JOB, 0));
        assertFalse(book.wanted(JOB, 0, 2, 1), "the first run ended");
        assertTrue(book.wanted(JOB, 1, 2, 4), "the retry's offers run before any fence of the retry arrives");
        book.apply(Fence.jobClosed(JOB, 1));
        assertFalse(book.wanted(JOB, 1, 2, 4), "the retry ended too");
        assertTrue(book.wanted(JOB, 2), "a second retry runs");
        book.apply(Fence.jobClosed(JOB, 0));
        assertFalse(book.wanted(JOB, 1), "a late fence of the first run does not reopen the retry");
    }
}
