package facefarm.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StateMachineTest {

    @Test
    void chunkHappyPathAndRetry() {
        assertTrue(ChunkState.OFFERED.canBecome(ChunkState.RUNNING));
        assertTrue(ChunkState.RUNNING.canBecome(ChunkState.DONE));
        assertTrue(ChunkState.RUNNING.canBecome(ChunkState.OFFERED), "a failed attempt is re-offered");
        assertTrue(ChunkState.OFFERED.canBecome(ChunkState.OFFERED), "an offer nobody took is re-offered");
    }

    @Test
    void terminalChunkStatesOnlyReopenForARetry() {
        for (ChunkState terminal : new ChunkState[] {ChunkState.DONE, ChunkState.FAILED, ChunkState.CANCELLED}) {
            assertTrue(terminal.isTerminal());
            for (ChunkState target : ChunkState.values()) {
                assertEquals(target == ChunkState.OFFERED, terminal.canBecome(target), terminal + " -> " + target);
            }
        }
        assertFalse(ChunkState.RUNNING.canBecome(ChunkState.RUNNING), "a second start is a duplicate, not a transition");
    }

    @Test
    void jobStates() {
        assertTrue(JobState.RUNNING.canBecome(JobState.STITCHING));
        assertTrue(JobState.STITCHING.canBecome(JobState.DONE));
        assertTrue(JobState.RUNNING.canBecome(JobState.FAILED));
        assertFalse(JobState.RUNNING.canBecome(JobState.DONE), "a job is done only after stitching");
        assertFalse(JobState.DONE.canBecome(JobState.FAILED));
        assertFalse(JobState.DONE.canBecome(JobState.RUNNING), "a delivered job is submitted again, not retried");
        assertTrue(JobState.FAILED.canBecome(JobState.RUNNING), "a retry renders its missing chunks");
        assertTrue(JobState.CANCELLED.canBecome(JobState.PREPARING), "a retry of a job cancelled before its chunks were planned");
        assertFalse(JobState.FAILED.canBecome(JobState.DONE));
    }

    @Test
    void schedulingProblemsAreNamed() {
        assertTrue(new Scheduling(100, java.util.List.of("pool=studio-a", "gpu")).problems().isEmpty());
        assertEquals(java.util.List.of("priority must be from 0 to 100 (higher runs first), got 101"), new Scheduling(101, null).problems());
        var problems = new Scheduling(null, java.util.List.of("pool=a b")).problems();
        assertTrue(problems.size() == 1 && problems.get(0).contains("'pool=a b'"), problems.toString());
        assertEquals(Scheduling.DEFAULT_PRIORITY, new JobOptions(null, null, null).scheduling().priorityOrDefault());
    }

    @Test
    void retryBudget() {
        RetryPolicy policy = new RetryPolicy(3);
        assertEquals(new RetryPolicy.Retry(2), policy.afterFailure(4, 1, "boom"));
        assertEquals(new RetryPolicy.Retry(3), policy.afterFailure(4, 2, "boom"));
        RetryPolicy.GiveUp giveUp = assertInstanceOf(RetryPolicy.GiveUp.class, policy.afterFailure(4, 3, "decoder crashed"));
        assertTrue(giveUp.reason().contains("chunk 4"), giveUp.reason());
        assertTrue(giveUp.reason().contains("decoder crashed"), giveUp.reason());
    }

    @Test
    void optionProblemsAreNamed() {
        JobOptions options = new JobOptions(java.util.List.of("face_debugger", "warp_drive"), 0, "avi");
        var problems = options.problems(java.util.List.of("face_debugger"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("warp_drive"));
        assertTrue(new JobOptions(null, null, null).problems(java.util.List.of("face_debugger")).isEmpty());
    }
}
