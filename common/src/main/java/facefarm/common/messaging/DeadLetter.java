package facefarm.common.messaging;

/** A record nobody could process, kept with where it came from and why. */
public record DeadLetter(String topic, int partition, long offset, String key, String reason, String record, String rejectedBy) {
}
