package facefarm.coordinator.messaging;

import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.StitchTask;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends chunk offers, prepare and stitch tasks, and dead letters, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class FarmPublisher {
    private static final String SOURCE = "coordinator";

    @Inject
    @Channel(Channels.CHUNK_OFFERS)
    MutinyEmitter<String> offers;

    @Inject
    @Channel(Channels.TASKS)
    MutinyEmitter<String> tasks;

    @Inject
    @Channel(Channels.DEAD_LETTERS)
    MutinyEmitter<String> deadLetters;

    /**
     * Keyed by job, chunk and attempt: one job's chunks spread over partitions (so over workers), and a retry does not
     * land behind the partition of the worker that just died.
     */
    public void offer(ChunkOffer offer) {
        String key = offer.jobId() + "/" + offer.chunkIndex() + "/" + offer.attemptNumber();
        offers.sendMessage(keyed(key, Messages.encode(SOURCE, offer.jobId(), offer))).await().atMost(Duration.ofSeconds(30));
    }

    /** A prepare or stitch task, keyed by job and attempt. */
    public void task(PrepareTask task) {
        tasks.sendMessage(keyed(task.jobId() + "/prepare/" + task.attemptNumber(), Messages.encode(SOURCE, task.jobId(), task)))
                .await().atMost(Duration.ofSeconds(30));
    }

    public void task(StitchTask task) {
        tasks.sendMessage(keyed(task.jobId() + "/stitch/" + task.attemptNumber(), Messages.encode(SOURCE, task.jobId(), task)))
                .await().atMost(Duration.ofSeconds(30));
    }

    public void deadLetter(DeadLetter letter) {
        deadLetters.sendMessage(keyed(letter.key(), Messages.encode(SOURCE, null, letter))).await().atMost(Duration.ofSeconds(30));
    }

    private static Message<String> keyed(String key, String value) {
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
