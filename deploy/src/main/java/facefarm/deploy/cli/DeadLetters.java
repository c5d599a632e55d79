package facefarm.deploy.cli;

import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.InvalidMessageException;
import facefarm.common.messaging.KafkaClientSettings;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dead-letter topic as an operator sees it: each record nobody could process, with where it came from and why;
 * and its replay, once the cause is fixed, back onto the topic it came from. A replay commits its place, so each
 * letter is replayed once.
 */
final class DeadLetters {
    /** The replaying consumer group: its committed offsets say which letters were replayed already. */
    static final String REPLAY_GROUP = "facefarm-dead-letter-replay";
    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    private final String bootstrap;
    private final PrintStream out;

    DeadLetters(String bootstrap, PrintStream out) {
        this.bootstrap = bootstrap;
        this.out = out;
    }

    /** Prints every letter on the topic; returns how many. */
    int list() {
        List<DeadLetter> letters = read(false, letter -> { });
        out.println(letters.size() + " dead letter(s) on " + Topics.DEAD_LETTERS);
        return letters.size();
    }

    /** Sends each letter not replayed before back to its topic, with its key; returns how many. */
    int replay() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())))) {
            List<DeadLetter> replayed = read(true, letter -> {
                try {
                    producer.send(new ProducerRecord<>(letter.topic(), letter.key(), letter.record())).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("cannot replay onto " + letter.topic() + ": " + e.getCause().getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while replaying", e);
                }
            });
            out.println("replayed " + replayed.size() + " dead letter(s)");
            return replayed.size();
        }
    }

    /** With the SASL/TLS settings of FARM_KAFKA_PROPERTIES, as every client of the farm has. */
    private static Map<String, Object> settings(Map<String, Object> own) {
        return KafkaClientSettings.withEnvironment(System.getenv(), own);
    }

    /** Every partition is ours and read up to where it ended when the read began. */
    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        if (!consumer.assignment().containsAll(end.keySet())) {
            return false;
        }
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private List<DeadLetter> read(boolean replaying, java.util.function.Consumer<DeadLetter> each) {
        List<DeadLetter> letters = new ArrayList<>();
        Map<String, Object> props = settings(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, replaying ? REPLAY_GROUP : "facefarm-dead-letter-list-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            // up to the end as of now: a replayed record that is rejected again becomes a new letter, not one of these
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topic on " + bootstrap + " could not be read to its end within " + GIVE_UP.toSeconds() + " s");
                }
                Map<TopicPartition, OffsetAndMetadata> done = new java.util.HashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.getOrDefault(partition, 0L)) {
                        continue;
                    }
                    done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    DeadLetter letter;
                    try {
                        letter = Messages.decode(record.value(), DeadLetter.class).payload();
                    } catch (InvalidMessageException e) {
                        out.println("offset " + record.offset() + ": not a dead letter (" + e.getMessage() + "), skipped");
                        continue;
                    }
                    out.printf(java.util.Locale.ROOT, "%s-%d@%d rejected by %s: %s%n", letter.topic(), letter.partition(), letter.offset(), letter.rejectedBy(),
                            letter.reason().replaceAll("\\p{Cntrl}", " "));
                    each.accept(letter);
                    letters.add(letter);
                }
                if (replaying && !done.isEmpty()) {
                    consumer.commitSync(done);
                }
            }
        }
        return letters;
    }
}
