package facefarm.coordinator.messaging;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.InvalidMessageException;
import facefarm.common.messaging.MessageType;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.ProvenanceCheckResult;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.coordinator.jobs.AfterCommit;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.jobs.JobStore;
import facefarm.coordinator.live.FarmChanges;
import facefarm.coordinator.provenance.ProvenanceChecks;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Reads worker events and heartbeats. A record that is not a current farm message is dead-lettered, never retried. */
@ApplicationScoped
public class FarmEventConsumer {
    private static final Logger LOG = Logger.getLogger(FarmEventConsumer.class);

    @Inject
    JobService jobs;

    @Inject
    JobStore store;

    @Inject
    FarmPublisher publisher;

    @Inject
    AfterCommit afterCommit;

    @Inject
    FarmChanges changes;

    @Inject
    ProvenanceChecks checks;

    /** Chunk events and prepare/stitch task events share the job-keyed events topic, so one job's events stay in order. */
    @Incoming(Channels.CHUNK_EVENTS)
    @Blocking(ordered = true)
    public CompletionStage<Void> onEvent(Message<String> message) {
        JobService.Followup followup;
        try {
            // each try is its own transaction; events of one job stay in order, since this partition waits meanwhile
            followup = Retrying.run(() -> handle(message.getPayload()), InvalidMessageException.class,
                    (attempt, e, wait) -> LOG.warnf("handling an event failed (%s); try %d of %d in %d ms", e.toString(), attempt + 1, Retrying.TRIES,
                            wait.toMillis()),
                    wait -> Thread.sleep(wait.toMillis()));
        } catch (InvalidMessageException e) {
            deadLetter(message, e.getMessage());
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "an event failed %d tries; dead-lettered for an operator to replay", Retrying.TRIES);
            deadLetter(message, "failed " + Retrying.TRIES + " tries: " + e);
            return message.ack();
        }
        afterCommit.run(followup);
        return message.ack();
    }

    private JobService.Followup handle(String payload) {
        MessageType type = Messages.typeOf(payload);
        if (type == MessageType.PROVENANCE_CHECK_RESULT) {
            checks.onResult(Messages.decode(payload, ProvenanceCheckResult.class).payload());
            return JobService.Followup.NONE;
        }
        if (type == MessageType.TASK_EVENT) {
            TaskEvent event = Messages.decode(payload, TaskEvent.class).payload();
            JobService.Followup followup = jobs.onTaskEvent(event);
            changes.job(event.jobId());
            return followup;
        }
        ChunkEvent event = Messages.decode(payload, ChunkEvent.class).payload();
        JobService.Followup followup = jobs.onEvent(event);
        changes.job(event.jobId());
        return followup;
    }

    @Incoming(Channels.WORKER_HEARTBEATS)
    @Blocking
    public CompletionStage<Void> onHeartbeat(Message<String> message) {
        try {
            WorkerHeartbeat beat = Messages.decode(message.getPayload(), WorkerHeartbeat.class).payload();
            store.heartbeat(beat);
            changes.worker(beat.workerId());
        } catch (InvalidMessageException e) {
            deadLetter(message, e.getMessage());
        }
        return message.ack();
    }

    private void deadLetter(Message<String> message, String reason) {
        var meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        String topic = meta == null ? "?" : meta.getTopic();
        int partition = meta == null ? -1 : meta.getPartition();
        long offset = meta == null ? -1 : meta.getOffset();
        String key = meta == null || meta.getKey() == null ? null : meta.getKey().toString();
        LOG.warnf("dead-lettering %s-%d@%d: %s", topic, partition, offset, reason);
        publisher.deadLetter(new DeadLetter(topic, partition, offset, key, reason, message.getPayload(), "coordinator"));
    }
}
