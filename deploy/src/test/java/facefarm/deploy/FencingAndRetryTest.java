package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.Failure;
import facefarm.common.jobs.JobAnalysis;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.PreparedJob;
import facefarm.common.jobs.StageTimings;
import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.Topics;
import facefarm.common.planning.ChunkPlanner;
import facefarm.deploy.cli.CoordinatorClient;
import facefarm.deploy.cli.FarmCli;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.SharedFiles;
import facefarm.worker.messaging.EventPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's delivery rules against the real broker and database, with this test acting as the worker:
 * stale attempts are fenced off, the retry budget ends in a clear failure, and unreadable records are dead-lettered.
 */
class FencingAndRetryTest {
    @TempDir
    Path dir;

    @Test
    void staleAttemptsAreFencedTheBudgetEndsTheJobAndPoisonGoesToTheDeadLetterTopic() throws Exception {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(dir.resolve("home"), 0)
                .withEnv(Map.of("FARM_MODEL_PATH", SharedFiles.modelsDir().toString(), "FARM_RETRY_BACKOFF", "2s"));
        try (LocalFarm farm = LocalFarm.start(FarmLayout.detect(), settings, line -> { });
             EventPublisher fakeWorker = new EventPublisher(farm.kafkaBootstrap(), "test-worker")) {
            CoordinatorClient client = farm.client();
            JobStatus job = client.submit(SharedFiles.media("face_2.mp4"), List.of(SharedFiles.media("astronaut.png")),
                    new JobOptions(List.of("face_debugger"), 64, "mp4"));
            assertEquals(JobState.PREPARING, job.state(), "the POST answers at once; a worker prepares the job");

            // this test takes the prepare task as a worker would: a farm fault is retried on a new attempt, a stale
            // attempt's result is fenced off, and the current attempt's plan starts the chunks
            PrepareTask firstPrepare = nextTask(farm, PrepareTask.class);
            fakeWorker.taskEventDurably(TaskEvent.started(TaskEvent.Task.PREPARE, job.id(), firstPrepare.attemptId(), "test-worker"));
            fakeWorker.taskEventDurably(TaskEvent.failed(TaskEvent.Task.PREPARE, job.id(), firstPrepare.attemptId(), "test-worker",
                    new Failure(Failure.TARGET, 500, "S3 timed out")));
            long failedAt = System.nanoTime();
            PrepareTask secondPrepare = nextTask(farm, PrepareTask.class);
            assertEquals(2, secondPrepare.attemptNumber());
            double waited = (System.nanoTime() - failedAt) / 1e9;
            assertTrue(waited >= 1.5, "the retry waited its backoff (2 s), not " + waited + " s");
            fakeWorker.taskEventDurably(new TaskEvent(TaskEvent.Kind.COMPLETED, TaskEvent.Task.PREPARE, job.id(), firstPrepare.attemptId(),
                    "test-worker", prepared(125), null, null));
            Thread.sleep(1000);
            assertEquals(JobState.PREPARING, client.job(job.id()).state(), "the failed attempt's late result is fenced off");
            fakeWorker.taskEventDurably(new TaskEvent(TaskEvent.Kind.COMPLETED, TaskEvent.Task.PREPARE, job.id(), secondPrepare.attemptId(),
                    "test-worker", prepared(125), null, null));
            job = client.follow(job.id(), s -> { }, s -> s.state() != JobState.PREPARING);
            assertEquals(JobState.RUNNING, job.state());
            assertEquals(2, job.chunksTotal());

            // no worker is in the workers' group: the chunks stay queued, and the job says why
            JobStatus queued = client.follow(job.id(), st -> { }, st -> st.placement().waitingFor() != null);
            assertTrue(queued.placement().waitingFor().startsWith("no worker is live"), queued.placement().waitingFor());

            String first = chunk(farm, job.id(), 0).attemptId();
            fakeWorker.chunkEventDurably(event(ChunkEvent.Kind.STARTED, job.id(), first, 0, null, null));
            fakeWorker.chunkEventDurably(event(ChunkEvent.Kind.FAILED, job.id(), first, 0, null, "GPU fell off the bus"));
            ChunkStatus retried = await(farm, job.id(), 0, c -> c.attempts() == 2);
            assertNotEquals(first, retried.attemptId());
            assertEquals(ChunkState.OFFERED, retried.state());

            // the first attempt's worker comes back from the dead and claims success: fenced off
            String staleKey = "tenants/default/jobs/" + job.id() + "/chunks/0/" + first + ".mkv";
            fakeWorker.chunkEventDurably(event(ChunkEvent.Kind.COMPLETED, job.id(), first, 64, staleKey, null));
            fakeWorker.chunkEventDurably(event(ChunkEvent.Kind.FAILED, job.id(), retried.attemptId(), 0, null, "out of memory"));
            ChunkStatus third = await(farm, job.id(), 0, c -> c.attempts() == 3);
            assertEquals(ChunkState.OFFERED, third.state(), "the stale completion did not finish the chunk");

            fakeWorker.chunkEventDurably(event(ChunkEvent.Kind.FAILED, job.id(), third.attemptId(), 0, null, "decoder crashed"));
            JobStatus failed = client.follow(job.id(), s -> { });
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.error().contains("chunk 0 failed 3 of 3") && failed.error().contains("decoder crashed"), failed.error());
            assertTrue(failed.error().contains("test-worker"), "names the workers that failed it: " + failed.error());
            assertEquals(ChunkState.CANCELLED, chunk(farm, job.id(), 1).state());

            try (KafkaProducer<String, String> raw = producer(farm)) {
                raw.send(new ProducerRecord<>(Topics.CHUNK_EVENTS, job.id(), "{\"type\":\"CHUNK_EVENT\",\"schemaVersion\":99}")).get();
                farm.startWorker("worker-dlq");
                raw.send(new ProducerRecord<>(Topics.CHUNK_OFFERS, "poison", "not even json")).get();
            }
            List<DeadLetter> letters = deadLetters(farm, 2, Duration.ofSeconds(90));
            assertTrue(letters.stream().anyMatch(l -> l.rejectedBy().equals("coordinator") && l.reason().contains("schema version 99")), letters.toString());
            assertTrue(letters.stream().anyMatch(l -> l.rejectedBy().equals("worker-dlq") && l.topic().equals(Topics.CHUNK_OFFERS)
                    && l.reason().startsWith("not JSON")), letters.toString());

            // an operator lists the letters and replays them onto their topics (once): rejected again, they come back
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            FarmCli cli = new FarmCli(new java.io.PrintStream(printed, true), System.err, dir.resolve("home"), FarmLayout.detect());
            assertEquals(0, cli.run(new String[] {"dead-letters", "--kafka", farm.kafkaBootstrap()}));
            assertTrue(printed.toString().contains("2 dead letter(s)") && printed.toString().contains("schema version 99"), printed.toString());
            assertEquals(0, cli.run(new String[] {"dead-letters", "--replay", "--kafka", farm.kafkaBootstrap()}));
            assertTrue(printed.toString().contains("replayed 2 dead letter(s)"), printed.toString());
            assertEquals(4, deadLetters(farm, 4, Duration.ofSeconds(90)).size(), "both replayed records were rejected again");
            java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
            assertEquals(0, new FarmCli(new java.io.PrintStream(again, true), System.err, dir.resolve("home"), FarmLayout.detect())
                    .run(new String[] {"dead-letters", "--replay", "--kafka", farm.kafkaBootstrap()}));
            assertTrue(again.toString().contains("replayed 2 dead letter(s)"), "a replay takes only the letters not replayed before (2 of 4): " + again);
        }
    }

    /** What a worker's prepare task would report for face_2.mp4 with face_debugger in chunks of 64. */
    private static PreparedJob prepared(long frames) {
        return prepared(frames, 64);
    }

    /** What a worker's prepare task would report for a face_debugger job of {@code frames} in chunks of {@code chunkFrames}. */
    static PreparedJob prepared(long frames, int chunkFrames) {
        return new PreparedJob(new PreparedJob.Timeline(frames, frames, 25, 1), new PreparedJob.Picture(844, 844, "h264"), null,
                List.of("face_debugger"), new JobAnalysis(AnalysisOptions.DEFAULTS, List.of(), null, null), 0, 0,
                ChunkPlanner.plan(frames, chunkFrames, 0, 0, List.of()), 12);
    }

    /** The next prepare or stitch task the coordinator publishes. */
    /** The next task the coordinator published, taken as a worker would. */
    static <T> T nextTask(LocalFarm farm, Class<T> type) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, farm.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-task-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.TASKS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    consumer.commitSync();
                    return Messages.decode(record.value(), type).payload();
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " was published within 30 s");
    }

    private static ChunkEvent event(ChunkEvent.Kind kind, String jobId, String attemptId, long frames, String key, String error) {
        return new ChunkEvent(kind, jobId, 0, attemptId, "test-worker", frames, 64, 0, key, StageTimings.ZERO, error);
    }

    private static ChunkStatus chunk(LocalFarm farm, String jobId, int index) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(farm.apiUrl() + "/api/v1/jobs/" + jobId + "/chunks")).header("Authorization", "Bearer " + farm.token()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Messages.JSON.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<List<ChunkStatus>>() { }).get(index);
    }

    private static ChunkStatus await(LocalFarm farm, String jobId, int index, Predicate<ChunkStatus> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ChunkStatus chunk = chunk(farm, jobId, index);
        while (!condition.test(chunk) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            chunk = chunk(farm, jobId, index);
        }
        assertTrue(condition.test(chunk), "chunk never reached the expected state: " + chunk);
        return chunk;
    }

    private static KafkaProducer<String, String> producer(LocalFarm farm) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, farm.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static List<DeadLetter> deadLetters(LocalFarm farm, int wanted, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, farm.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (letters.size() < wanted && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> letters.add(Messages.decode(r.value(), DeadLetter.class).payload()));
            }
        }
        return letters;
    }
}
