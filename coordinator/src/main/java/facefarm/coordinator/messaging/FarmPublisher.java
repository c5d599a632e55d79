package facefarm.coordinator.messaging;

import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.Fence;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.ProvenanceCheck;
import facefarm.common.messaging.StitchTask;
import facefarm.common.messaging.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends chunk offers, prepare and stitch tasks, fences and dead letters, waiting for the broker's acknowledgement. */
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

    @Inject
    @Channel(Channels.FENCES)
    MutinyEmitter<String> fences;

    @Inject
    WorkerAssignments assignments;

    /** To a partition of the worker the dispatcher chose. Keyed by job, chunk and attempt. */
    public void offer(ChunkOffer offer, int partition) {
        String key = offer.jobId() + "/" + offer.chunkIndex() + "/" + offer.attemptNumber();
        offers.sendMessage(Message.of(Messages.encode(SOURCE, offer.jobId(), offer))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withPartition(partition).build()))
                .await().atMost(Duration.ofSeconds(30));
    }

    /** A prepare or stitch task, keyed by job and attempt, to the next worker in turn. */
    public void task(PrepareTask task) {
        tasks.sendMessage(routed(Topics.TASKS, task.jobId() + "/prepare/" + task.attemptNumber(), Messages.encode(SOURCE, task.jobId(), task)))
                .await().atMost(Duration.ofSeconds(30));
    }

    public void task(StitchTask task) {
        tasks.sendMessage(routed(Topics.TASKS, task.jobId() + "/stitch/" + task.attemptNumber(), Messages.encode(SOURCE, task.jobId(), task)))
                .await().atMost(Duration.ofSeconds(30));
    }

    /** A provenance check, keyed by itself, to the next worker in turn. */
    public void task(ProvenanceCheck check) {
        tasks.sendMessage(routed(Topics.TASKS, "check/" + check.checkId(), Messages.encode(SOURCE, null, check))).await().atMost(Duration.ofSeconds(30));
    }

    public void deadLetter(DeadLetter letter) {
        deadLetters.sendMessage(Message.of(Messages.encode(SOURCE, null, letter))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(letter.key()).build())).await().atMost(Duration.ofSeconds(30));
    }

    /** Keyed by job or job/chunk, so compaction keeps the newest fence of each. */
    public void fence(Fence fence) {
        fences.sendMessage(Message.of(Messages.encode(SOURCE, fence.jobId(), fence))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(fence.key()).build())).await().atMost(Duration.ofSeconds(30));
    }

    private Message<String> routed(String topic, String key, String value) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        assignments.nextPartition(topic).ifPresent(metadata::withPartition);
        return Message.of(value).addMetadata(metadata.build());
    }
}
