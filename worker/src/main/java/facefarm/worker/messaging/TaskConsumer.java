package facefarm.worker.messaging;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.DeadLetter;
import facefarm.common.messaging.InvalidMessageException;
import facefarm.common.messaging.MessageType;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.PrepareTask;
import facefarm.common.messaging.ProvenanceCheck;
import facefarm.common.messaging.ProvenanceCheckResult;
import facefarm.common.messaging.StitchTask;
import facefarm.common.messaging.TaskEvent;
import facefarm.common.messaging.Topics;
import facefarm.worker.WorkerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
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
 * Takes work one record at a time from the chunk offers and the prepare/stitch tasks. While a task runs on the runner
 * thread, this thread keeps polling with every partition paused, so a long task never exceeds max.poll.interval.ms;
 * the record is committed only after its result was acknowledged by the broker. Unreadable records go to the
 * dead-letter topic and are committed, never retried.
 */
public final class TaskConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TaskConsumer.class.getName());

    private final KafkaConsumer<String, String> consumer;
    private final EventPublisher publisher;
    private final FenceReader fences;
    /** Enough to cover the events of a few minutes of chunks waiting on a coordinator restart. */
    private static final int REPORTED_KEPT = 32;
    private final java.util.ArrayDeque<String> reported = new java.util.ArrayDeque<>();
    private final Runners runners;
    private final ExecutorService taskThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "task-runner"));
    private final String workerId;
    private volatile boolean running = true;
    private volatile boolean busy;
    private volatile Current current;

    /** What runs each kind of work; each returns the event that reports its outcome. */
    public record Runners(Function<ChunkOffer, ChunkEvent> chunks, Function<PrepareTask, TaskEvent> prepares, Function<StitchTask, TaskEvent> stitches,
                          Function<ProvenanceCheck, ProvenanceCheckResult> checks) {
    }

    /** The work in hand, for heartbeats: a chunk names its index; a prepare or stitch task has none. */
    public record Current(String jobId, Integer chunkIndex, String attemptId) {
    }

    public TaskConsumer(WorkerConfig config, EventPublisher publisher, Runners runners, FenceReader fences) {
        this.fences = fences;
        this.publisher = publisher;
        this.runners = runners;
        this.workerId = config.workerId();
        Properties props = new Properties();
        props.putAll(config.kafkaSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.workerId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout().toMillis()));
        // a rebalance waits for every member's next heartbeat: frequent beats settle a growing farm in seconds
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(100, Math.min(1000, config.sessionTimeout().toMillis() / 3))));
        // range divides each topic's partitions among its consumers on its own, so every worker holds partitions of the
        // chunk topic (the coordinator sends a worker its chunks there); the sticky assignors balance the total, and
        // could leave one worker all the task partitions and none of the chunk partitions
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
    }

    public Current current() {
        return current;
    }

    /** The attempts whose outcome this worker reported most recently, newest last (heartbeats carry them). */
    public java.util.List<String> recentlyReported() {
        synchronized (reported) {
            return java.util.List.copyOf(reported);
        }
    }

    private void remember(String attemptId) {
        synchronized (reported) {
            reported.addLast(attemptId);
            while (reported.size() > REPORTED_KEPT) {
                reported.removeFirst();
            }
        }
    }

    public void run() {
        consumer.subscribe(java.util.List.of(Topics.CHUNK_OFFERS, Topics.TASKS), new ConsumerRebalanceListener() {
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
            // a static member that just closes keeps its partitions until its session times out: leave, so the offers
            // on them (a handed-back chunk's among them) go to the other workers at once
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(5)));
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Callable<Runnable> work;
        try {
            work = work(record.value());
        } catch (InvalidMessageException e) {
            LOG.log(Level.WARNING, "worker={0} dead-lettering offset {1} of {2}: {3}", workerId, record.offset(), partition, e.getMessage());
            publisher.deadLetter(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(), e.getMessage(), record.value(), workerId));
            commit(partition, record.offset());
            return;
        }
        busy = true;
        consumer.pause(consumer.assignment());
        try {
            Future<Runnable> result = taskThread.submit(work);
            while (!result.isDone()) {
                try {
                    for (ConsumerRecord<String, String> stray : consumer.poll(Duration.ofMillis(200))) {
                        // a partition assigned during the task delivered before it was paused: read it again later
                        consumer.seek(new TopicPartition(stray.topic(), stray.partition()), stray.offset());
                        consumer.pause(java.util.List.of(new TopicPartition(stray.topic(), stray.partition())));
                    }
                } catch (WakeupException e) {
                    // shutting down: the task hands its chunk back or finishes, and its outcome is still reported
                }
            }
            result.get().run();
            if (current != null) {
                remember(current.attemptId());
            }
            commit(partition, record.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            LOG.log(Level.ERROR, "worker=" + workerId + " could not finish " + current, e);
        } finally {
            current = null;
            busy = false;
            consumer.resume(consumer.assignment());
        }
    }

    /**
     * The record's work, run on the task thread; what it returns reports the outcome durably. Work the fence topic says
     * is no longer wanted (its job ended, or a newer attempt superseded it) is skipped: nothing to run, nothing to report.
     */
    private Callable<Runnable> work(String json) {
        MessageType type = Messages.typeOf(json);
        if (type == MessageType.PREPARE_TASK) {
            PrepareTask task = Messages.decode(json, PrepareTask.class).payload();
            if (!fences.book().wanted(task.jobId(), task.jobEpoch())) {
                return skipped("prepare task of job " + task.jobId() + ": its job has ended");
            }
            current = new Current(task.jobId(), null, task.attemptId());
            return work(task, runners.prepares(), publisher::taskEventDurably);
        }
        if (type == MessageType.STITCH_TASK) {
            StitchTask task = Messages.decode(json, StitchTask.class).payload();
            if (!fences.book().wanted(task.jobId(), task.jobEpoch())) {
                return skipped("stitch task of job " + task.jobId() + ": its job has ended");
            }
            current = new Current(task.jobId(), null, task.attemptId());
            return work(task, runners.stitches(), publisher::taskEventDurably);
        }
        if (type == MessageType.PROVENANCE_CHECK) {
            // a check belongs to no job: nothing fences it
            ProvenanceCheck check = Messages.decode(json, ProvenanceCheck.class).payload();
            return work(check, runners.checks(), publisher::checkResultDurably);
        }
        ChunkOffer offer = Messages.decode(json, ChunkOffer.class).payload();
        if (!fences.book().wanted(offer.jobId(), offer.jobEpoch(), offer.chunkIndex(), offer.attemptNumber())) {
            return skipped("offer of job " + offer.jobId() + " chunk " + offer.chunkIndex() + " attempt " + offer.attemptNumber() + ": "
                    + fences.book().why(offer.jobId(), offer.jobEpoch(), offer.chunkIndex(), offer.attemptNumber()));
        }
        current = new Current(offer.jobId(), offer.chunkIndex(), offer.attemptId());
        if (offer.assignedWorker() != null && !offer.assignedWorker().equals(workerId)) {
            return misrouted(offer);
        }
        return work(offer, runners.chunks(), publisher::chunkEventDurably);
    }

    /**
     * An offer the coordinator chose another worker for (its partition moved here in a rebalance): handed back at once,
     * so the coordinator offers it again to a worker it chose, whose tags and record fit the job.
     */
    private Callable<Runnable> misrouted(ChunkOffer offer) {
        LOG.log(Level.INFO, "worker={0} hands back job {1} chunk {2} attempt {3}: it was offered to worker {4}", workerId, offer.jobId(),
                offer.chunkIndex(), offer.attemptNumber(), offer.assignedWorker());
        ChunkEvent released = new ChunkEvent(ChunkEvent.Kind.RELEASED, offer.jobId(), offer.chunkIndex(), offer.attemptId(), workerId, 0,
                offer.owned().length(), 0, null, null, "offered to worker " + offer.assignedWorker() + ", received by " + workerId + " after a rebalance");
        return () -> () -> publisher.chunkEventDurably(released);
    }

    private Callable<Runnable> skipped(String what) {
        LOG.log(Level.INFO, "worker={0} skipped the {1}", workerId, what);
        return () -> () -> { };
    }

    private static <T, E> Callable<Runnable> work(T task, Function<T, E> runner, java.util.function.Consumer<E> report) {
        return () -> {
            E event = runner.apply(task);
            return () -> report.accept(event);
        };
    }

    private void commit(TopicPartition partition, long offset) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
        } catch (org.apache.kafka.common.KafkaException e) {
            // the partition moved to another worker: the coordinator's fencing keeps the job right either way
            LOG.log(Level.WARNING, "worker={0} cannot commit {1}@{2}: {3}", workerId, partition, offset, e.getMessage());
        }
    }

    /**
     * Stops taking work. A chunk in hand stops at its next frame and is handed back (reported as released, so the
     * coordinator offers it again at once); a prepare or stitch task in hand finishes and is reported. {@link #run}
     * returns once that outcome is acknowledged and the consumer has left the group.
     */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Whether the worker is shutting down: a chunk in hand is then handed back. */
    public boolean stopping() {
        return !running;
    }

    @Override
    public void close() {
        stop();
        taskThread.shutdownNow();
    }
}
