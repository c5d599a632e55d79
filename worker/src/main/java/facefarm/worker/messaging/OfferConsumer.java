package facefarm.worker.messaging;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.InvalidMessageException;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.Topics;
import facefarm.worker.WorkerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Takes chunk offers one at a time. While a chunk runs on the runner thread, this thread keeps polling with every
 * partition paused, so a long chunk never exceeds max.poll.interval.ms; the offer is committed only after its result
 * was acknowledged by the broker. Unreadable offers go to the dead-letter topic and are committed, never retried.
 */
public final class OfferConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OfferConsumer.class.getName());

    private final KafkaConsumer<String, String> consumer;
    private final EventPublisher publisher;
    private final Function<ChunkOffer, ChunkEvent> runner;
    private final ExecutorService chunkThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "chunk-runner"));
    private final String workerId;
    private volatile boolean running = true;
    private volatile boolean busy;
    private volatile ChunkOffer current;

    public OfferConsumer(WorkerConfig config, EventPublisher publisher, Function<ChunkOffer, ChunkEvent> runner) {
        this.publisher = publisher;
        this.runner = runner;
        this.workerId = config.workerId();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.workerId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout().toMillis()));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, config.sessionTimeout().toMillis() / 5)));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
    }

    public ChunkOffer current() {
        return current;
    }

    public void run() {
        consumer.subscribe(java.util.List.of(Topics.CHUNK_OFFERS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (busy) {
                    consumer.pause(partitions);
                }
            }
        });
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        ChunkOffer offer;
        try {
            offer = Messages.decode(record.value(), ChunkOffer.class).payload();
        } catch (InvalidMessageException e) {
            LOG.log(Level.WARNING, "worker={0} dead-lettering offset {1} of {2}: {3}", workerId, record.offset(), partition, e.getMessage());
            publisher.deadLetter(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(), e.getMessage(), record.value(), workerId));
            commit(partition, record.offset());
            return;
        }
        busy = true;
        current = offer;
        consumer.pause(consumer.assignment());
        try {
            Future<ChunkEvent> result = chunkThread.submit(() -> runner.apply(offer));
            while (!result.isDone()) {
                for (ConsumerRecord<String, String> stray : consumer.poll(Duration.ofMillis(200))) {
                    // a partition assigned during the chunk delivered before it was paused: read it again later
                    consumer.seek(new TopicPartition(stray.topic(), stray.partition()), stray.offset());
                    consumer.pause(java.util.List.of(new TopicPartition(stray.topic(), stray.partition())));
                }
            }
            publisher.chunkEventDurably(result.get());
            commit(partition, record.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            LOG.log(Level.ERROR, "worker=" + workerId + " could not finish chunk " + offer.chunkIndex() + " of job " + offer.jobId(), e);
        } finally {
            current = null;
            busy = false;
            consumer.resume(consumer.assignment());
        }
    }

    private void commit(TopicPartition partition, long offset) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
        } catch (org.apache.kafka.common.KafkaException e) {
            // the partition moved to another worker: the coordinator's fencing keeps the job right either way
            LOG.log(Level.WARNING, "worker={0} cannot commit {1}@{2}: {3}", workerId, partition, offset, e.getMessage());
        }
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void close() {
        stop();
        chunkThread.shutdownNow();
    }
}
