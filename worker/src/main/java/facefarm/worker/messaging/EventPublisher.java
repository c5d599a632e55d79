package facefarm.worker.messaging;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.ProvenanceCheckResult;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.Topics;
import facefarm.common.messaging.WorkerHeartbeat;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** What a worker tells the farm: chunk events (keyed by job), heartbeats (keyed by worker), dead letters. */
public final class EventPublisher implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String workerId;

    public EventPublisher(String bootstrap, String workerId) {
        this(java.util.Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), workerId);
    }

    /** @param kafkaSettings the bootstrap servers and any SASL/TLS settings */
    public EventPublisher(java.util.Map<String, Object> kafkaSettings, String workerId) {
        this.workerId = workerId;
        Properties props = new Properties();
        props.putAll(kafkaSettings);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-events");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    public Future<RecordMetadata> chunkEvent(ChunkEvent event) {
        return producer.send(new ProducerRecord<>(Topics.CHUNK_EVENTS, event.jobId(), Messages.encode(workerId, event.jobId(), event)));
    }

    /** Prepare and stitch progress and outcomes, keyed by job like chunk events, so one job's events stay in order. */
    public Future<RecordMetadata> taskEvent(TaskEvent event) {
        return producer.send(new ProducerRecord<>(Topics.CHUNK_EVENTS, event.jobId(), Messages.encode(workerId, event.jobId(), event)));
    }

    /** Keyed by the check: a check has no job. */
    public void checkResultDurably(ProvenanceCheckResult result) {
        await(producer.send(new ProducerRecord<>(Topics.CHUNK_EVENTS, result.checkId(), Messages.encode(workerId, null, result))));
    }

    public void taskEventDurably(TaskEvent event) {
        await(taskEvent(event));
    }

    /** Sends and waits for the broker's acknowledgement: used for results, before the offer is committed. */
    public void chunkEventDurably(ChunkEvent event) {
        await(chunkEvent(event));
    }

    /** Sends without waiting; {@code acknowledged} runs once the broker has it (the worker's readiness reads that). */
    public void heartbeat(WorkerHeartbeat heartbeat, Runnable acknowledged) {
        producer.send(new ProducerRecord<>(Topics.WORKER_HEARTBEATS, workerId, Messages.encode(workerId, heartbeat.currentJobId(), heartbeat)),
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.run();
                    }
                });
    }

    public void deadLetter(DeadLetter letter) {
        await(producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, letter.key(), Messages.encode(workerId, letter.key(), letter))));
    }

    private static void await(Future<RecordMetadata> send) {
        try {
            send.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge a send: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
