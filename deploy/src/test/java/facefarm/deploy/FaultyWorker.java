package facefarm.deploy;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.Topics;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.storage.ObjectStore;
import facefarm.worker.messaging.EventPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker whose every chunk fails, as a worker with a broken GPU does: it joins the workers' group on the real broker
 * (chunk offers only), heartbeats with its tags, and answers each offer sent to it with STARTED, a log, then FAILED. An offer
 * meant for another worker it hands back, as a real worker does.
 */
final class FaultyWorker implements AutoCloseable {
    private final String id;
    private final List<String> tags;
    private final KafkaConsumer<String, String> consumer;
    private final EventPublisher publisher;
    private final ObjectStore logs;
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread poller;
    private final Thread heartbeats;
    private volatile boolean running = true;

    FaultyWorker(String bootstrap, ObjectStore logs, String id, List<String> tags) {
        this.id = id;
        this.logs = logs;
        this.tags = List.copyOf(tags);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.WORKER_GROUP);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        publisher = new EventPublisher(bootstrap, id);
        poller = new Thread(this::poll, id + "-poller");
        heartbeats = new Thread(this::beat, id + "-heartbeat");
        poller.start();
        heartbeats.start();
    }

    /** Chunks it failed so far. */
    int failed() {
        return failed.get();
    }

    private void poll() {
        consumer.subscribe(List.of(Topics.CHUNK_OFFERS));
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    answer(Messages.decode(record.value(), ChunkOffer.class).payload());
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(5)));
        }
    }

    private void answer(ChunkOffer offer) {
        if (!id.equals(offer.assignedWorker())) {
            publisher.chunkEventDurably(event(offer, ChunkEvent.Kind.RELEASED, "offered to " + offer.assignedWorker()));
            return;
        }
        publisher.chunkEventDurably(event(offer, ChunkEvent.Kind.STARTED, null));
        // its log, where a real worker keeps it
        logs.put(offer.logKey(), ("INFO ChunkRunner: job=" + offer.jobId() + " chunk=" + offer.chunkIndex() + " started\n"
                + "SEVERE ChunkRunner: CUDA error 700: an illegal memory access was encountered\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/plain");
        publisher.chunkEventDurably(event(offer, ChunkEvent.Kind.FAILED, "simulated fault: CUDA error on worker " + id));
        failed.incrementAndGet();
    }

    private ChunkEvent event(ChunkOffer offer, ChunkEvent.Kind kind, String error) {
        return new ChunkEvent(kind, offer.jobId(), offer.chunkIndex(), offer.attemptId(), id, 0, offer.owned().length(), 0, null, null, error);
    }

    private void beat() {
        while (running) {
            publisher.heartbeat(new WorkerHeartbeat(id, "test", "cpu", List.of(), 0, null, null, null, 0, List.of(),
                    new WorkerHeartbeat.Accelerator("cpu", "libopenh264", null), tags, false), () -> { });
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        heartbeats.interrupt();
        poller.join(10_000);
        heartbeats.join(5_000);
        publisher.close();
    }
}
