package facefarm.coordinator.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionRotationTest {

    @Test
    void consecutiveRecordsAlternateBetweenWorkersWhateverTheirPartitions() {
        // the sticky assignor hands out contiguous ranges: hashing or a plain partition counter would favour one side
        PartitionRotation rotation = PartitionRotation.of(Map.of("worker-2", List.of(6, 7, 8, 9, 10, 11), "worker-1", List.of(0, 1, 2, 3, 4, 5)));
        Map<Integer, Integer> perWorker = new HashMap<>();
        for (long n = 0; n < 31; n++) {
            int partition = rotation.partition(n).orElseThrow();
            perWorker.merge(partition < 6 ? 1 : 2, 1, Integer::sum);
        }
        assertEquals(16, perWorker.get(1));
        assertEquals(15, perWorker.get(2));
        assertEquals(0, rotation.partition(0).orElseThrow());
        assertEquals(6, rotation.partition(1).orElseThrow());
        assertEquals(1, rotation.partition(2).orElseThrow());
    }

    @Test
    void eachWorkersPartitionsAreUsedInTurn() {
        PartitionRotation rotation = PartitionRotation.of(Map.of("a", List.of(5, 3), "b", List.of(4)));
        assertEquals(List.of(3, 4, 5, 4, 3, 4), List.of(0L, 1L, 2L, 3L, 4L, 5L).stream().map(n -> rotation.partition(n).orElseThrow()).toList());
    }

    @Test
    void membersWithoutPartitionsAreSkippedAndNoMembersLeavesTheChoiceToTheKey() {
        PartitionRotation rotation = PartitionRotation.of(Map.of("idle", List.of(), "busy", List.of(2)));
        assertEquals(2, rotation.partition(1).orElseThrow());
        assertTrue(PartitionRotation.UNKNOWN.partition(0).isEmpty());
        assertTrue(PartitionRotation.of(Map.of("joining", List.of())).partition(7).isEmpty());
    }
}
