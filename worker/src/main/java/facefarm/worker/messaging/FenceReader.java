package facefarm.worker.messaging;

import facefarm.common.messaging.Fence;
import facefarm.common.messaging.InvalidMessageException;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.Topics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The worker's copy of the fence topic: read whole from the start (no consumer group), then followed, so the worker
 * can tell whether an offer is still wanted before it starts it and while it runs. Until the topic can be read, every
 * offer counts as wanted: the coordinator's fencing of results stays the guarantee.
 */
public final class FenceReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FenceReader.class.getName());

    private final KafkaConsumer<String, String> consumer;
    private final FenceBook book = new FenceBook();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public FenceReader(Map<String, Object> kafkaSettings, String workerId) {
        Properties props = new Properties();
        props.putAll(kafkaSettings);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-fences");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the coordinator creates the topic compacted, with one partition; a worker must never create it otherwise
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(this::follow, "fence-reader");
        this.thread.setDaemon(true);
    }

    /** Starts following the topic and waits up to {@code catchUp} until what it held at start has been read. */
    public FenceReader start(Duration catchUp) {
        thread.start();
        try {
            if (!caughtUp.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "the fence topic " + Topics.FENCES + " was not read within " + catchUp.toSeconds()
                        + " s; offers run without the check until it is");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** What the fences read so far say. */
    public FenceBook book() {
        return book;
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions == null) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read(record);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.log(Level.WARNING, "stopped reading the fence topic; offers run without the check", e);
            }
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The topic's partitions once it exists (the coordinator creates it); null when stopped first. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.FENCES, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            caughtUp.countDown();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    private void read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            book.remove(record.key());
            return;
        }
        try {
            book.apply(Messages.decode(record.value(), Fence.class).payload());
        } catch (InvalidMessageException e) {
            LOG.log(Level.WARNING, "ignoring an unreadable fence at offset " + record.offset() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            // woken, the reader closes its consumer cleanly; interrupted, Kafka's close would throw
            thread.join(5_000);
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
