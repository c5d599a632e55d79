package facefarm.coordinator.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.coordinator.jobs.WorkerStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerMatchTest {
    private static WorkerStore.Worker worker(String id, List<String> tags, boolean drained, boolean quarantined) {
        return new WorkerStore.Worker(id, tags, 0, drained, quarantined, false, null);
    }

    @Test
    void aRequiredTagIsMetExactlyOrByItsKeyAlone() {
        WorkerMatch needsA100 = new WorkerMatch(List.of("gpu=a100"), Map.of(), 3);
        WorkerMatch needsAnyGpu = new WorkerMatch(List.of("gpu"), Map.of(), 3);
        WorkerStore.Worker a100 = worker("w1", List.of("gpu=a100", "pool=studio-a"), false, false);
        WorkerStore.Worker l4 = worker("w2", List.of("gpu=l4"), false, false);
        WorkerStore.Worker gpuless = worker("w3", List.of("gpuless"), false, false);
        assertTrue(needsA100.fits(a100));
        assertEquals("lacks gpu=a100", needsA100.refusal(l4));
        assertTrue(needsAnyGpu.fits(l4));
        assertEquals("lacks gpu", needsAnyGpu.refusal(gpuless), "a tag is a whole word, not a prefix");
    }

    @Test
    void drainedQuarantinedAndBlocklistedWorkersAreRefusedWithTheirReason() {
        WorkerMatch match = new WorkerMatch(List.of(), Map.of("w3", 3, "w4", 2), 3);
        assertEquals("drained", match.refusal(worker("w1", List.of(), true, false)));
        assertEquals("quarantined", match.refusal(worker("w2", List.of(), true, true)));
        assertEquals("failed this job 3 times", match.refusal(worker("w3", List.of(), false, false)));
        assertNull(match.refusal(worker("w4", List.of(), false, false)), "2 failures are below the limit of 3");
    }

    @Test
    void aJobNoLiveWorkerCanServeSaysWhyWorkerByWorker() {
        WorkerMatch match = new WorkerMatch(List.of("pool=vfx"), Map.of(), 3);
        assertTrue(match.whyNone(List.of()).startsWith("no worker is live"));
        String why = match.whyNone(List.of(worker("w1", List.of("pool=edit"), false, false), worker("w2", List.of("pool=vfx"), true, false)));
        assertEquals("no live worker can take its chunks (it requires pool=vfx): w1 lacks pool=vfx; w2 drained", why);
        assertNull(match.whyNone(List.of(worker("w3", List.of("pool=vfx"), false, false), worker("w1", List.of(), false, false))));
        List<WorkerStore.Worker> many = java.util.stream.IntStream.range(0, 9).mapToObj(i -> worker("w" + i, List.of(), true, false)).toList();
        assertTrue(match.whyNone(many).endsWith("w5 drained; and 3 more"), match.whyNone(many));
    }
}
