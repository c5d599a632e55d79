package facefarm.coordinator.messaging;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which partition of a work topic the n-th record goes to, so that consecutive records reach different workers in
 * turn: member n mod m, then that member's partitions in turn. Kafka's key hashing would bind a job's chunks to
 * partitions at random, and a worker whose partitions drew more of them keeps rendering while the others idle.
 *
 * @param members each live worker's partitions of the topic, by member id (empty: let the key decide)
 */
public record PartitionRotation(List<List<Integer>> members) {
    public static final PartitionRotation UNKNOWN = new PartitionRotation(List.of());

    public PartitionRotation {
        members = members.stream().filter(p -> !p.isEmpty()).map(p -> p.stream().sorted().toList()).toList();
    }

    /** From each member's assigned partitions; members are ordered by id so the rotation is stable between refreshes. */
    public static PartitionRotation of(Map<String, List<Integer>> partitionsByMember) {
        return new PartitionRotation(List.copyOf(new TreeMap<>(partitionsByMember).values()));
    }

    public OptionalInt partition(long n) {
        if (members.isEmpty()) {
            return OptionalInt.empty();
        }
        List<Integer> partitions = members.get((int) Math.floorMod(n, (long) members.size()));
        return OptionalInt.of(partitions.get((int) Math.floorMod(n / members.size(), (long) partitions.size())));
    }
}
