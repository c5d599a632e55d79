package facefarm.worker;

import facefarm.common.messaging.ChunkEvent;
import facefarm.common.messaging.ChunkOffer;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.models.ModelStore;
import facefarm.storage.ObjectStore;
import facefarm.worker.health.WorkerHealth;
import facefarm.worker.inference.Acceleration;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.logs.AttemptLog;
import facefarm.worker.media.FfmpegLog;
import facefarm.worker.media.VideoEncoders;
import facefarm.worker.messaging.EventPublisher;
import facefarm.worker.messaging.FenceReader;
import facefarm.worker.messaging.TaskConsumer;
import facefarm.worker.pipeline.ChunkRunner;
import facefarm.worker.preparing.PrepareRunner;
import facefarm.worker.provenance.ProvenanceCheckRunner;
import facefarm.worker.provenance.c2pa.OutputSigner;
import facefarm.worker.stitching.StitchRunner;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker process: takes prepare tasks, chunk offers and stitch tasks until stopped, heartbeating all the while. On
 * SIGTERM (a scale-down, a node drain) it hands its chunk back, reports that, leaves the consumer group and exits, so
 * no chunk waits for a heartbeat timeout.
 */
public final class WorkerMain {
    private static final System.Logger LOG = System.getLogger(WorkerMain.class.getName());
    /** Held so the JUL level set below is not garbage-collected with its logger. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    private WorkerMain() {
    }

    public static void main(String[] args) {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        FfmpegLog.quiet();
        WorkerConfig config;
        Acceleration acceleration;
        VideoEncoders encoders;
        try {
            config = WorkerConfig.fromEnvironment(System.getenv());
            acceleration = OrtRuntime.acceleration();
            encoders = VideoEncoders.choose(System.getenv(), acceleration.onGpu(), config.workDir());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            run(config, acceleration, encoders, stopped);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "worker " + config.workerId() + " stopped: " + e.getMessage(), e);
            System.exit(1);
        } finally {
            stopped.countDown();
            WorkerLogManager.resetFinally();
        }
    }

    private static void run(WorkerConfig config, Acceleration acceleration, VideoEncoders encoders, CountDownLatch stopped) {
        ModelStore models = ModelStore.fromEnvironment();
        AtomicLong chunksCompleted = new AtomicLong();
        AtomicLong lastHeartbeat = new AtomicLong(System.nanoTime());
        try (ObjectStore store = new ObjectStore(config.s3Endpoint(), config.s3AccessKey(), config.s3SecretKey(), config.s3Bucket(),
                WorkerConfig.S3_OUTAGE_TOLERANCE);
             EventPublisher publisher = new EventPublisher(config.kafkaSettings(), config.workerId());
             FenceReader fences = new FenceReader(config.kafkaSettings(), config.workerId()).start(Duration.ofSeconds(30))) {
            ChunkRunner runner = new ChunkRunner(config.workerId(), store, models, config.workDir(), OrtRuntime.batchSize(), config.cacheBytes());
            PrepareRunner preparer = new PrepareRunner(config.workerId(), store, models, config.workDir());
            StitchRunner stitcher = new StitchRunner(config.workerId(), store, config.workDir(),
                    new OutputSigner(store, OutputSigner.credentials(System.getenv(), config.workDir())));
            ProvenanceCheckRunner checker = new ProvenanceCheckRunner(config.workerId(), store, config.workDir());
            double[] lastFps = {0};
            TaskConsumer[] self = new TaskConsumer[1];
            AttemptLog attemptLog = AttemptLog.attach();
            TaskConsumer consumer = new TaskConsumer(config, publisher, new TaskConsumer.Runners(offer -> {
                attemptLog.start();
                ChunkEvent result;
                try {
                    result = runner.run(offer, publisher::chunkEvent, new ChunkRunner.Stops(
                            () -> fences.book().wanted(offer.jobId(), offer.jobEpoch(), offer.chunkIndex(), offer.attemptNumber()), () -> self[0].stopping()));
                } finally {
                    keepLog(store, offer, attemptLog.finish());
                }
                if (result.kind() == ChunkEvent.Kind.COMPLETED) {
                    chunksCompleted.incrementAndGet();
                    lastFps[0] = result.framesPerSecond();
                }
                return result;
            }, task -> preparer.run(task, publisher::taskEvent), task -> stitcher.run(task, publisher::taskEvent), checker::run), fences);
            self[0] = consumer;
            ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            String host = WorkerConfig.hostName();
            WorkerHeartbeat.Accelerator accelerator = new WorkerHeartbeat.Accelerator(acceleration.providerName(), encoders.h264(),
                    joinNotes(acceleration.note(), encoders.note()));
            java.util.List<String> tags = WorkerTags.of(config.tags(), acceleration.providerName(), models);
            heartbeats.scheduleAtFixedRate(() -> {
                try {
                    TaskConsumer.Current current = consumer.current();
                    publisher.heartbeat(new WorkerHeartbeat(config.workerId(), host, acceleration.device(), runner.modelsLoaded(), lastFps[0],
                            current == null ? null : current.jobId(), current == null ? null : current.chunkIndex(),
                            current == null ? null : current.attemptId(), chunksCompleted.get(), consumer.recentlyReported(), accelerator, tags, consumer.stopping()),
                            () -> lastHeartbeat.set(System.nanoTime()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "heartbeat failed: {0}", e.getMessage());
                }
            }, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.stop();
                awaitQuietly(stopped, config.shutdownGrace());
            }, "worker-shutdown"));
            try (WorkerHealth health = WorkerHealth.start(System.getenv(), new WorkerHealth.Signals(lastHeartbeat::get, consumer::stopping,
                    config.heartbeatInterval().multipliedBy(5)))) {
                LOG.log(Level.INFO, "worker={0} device={1} provider={2} encoder={3} kafka={4} s3={5}{6} tags={7} ready", config.workerId(),
                        acceleration.device(), acceleration.providerName(), encoders.h264(), config.kafkaBootstrap(), config.s3Endpoint(),
                        health == null ? "" : " health=:" + health.port(), String.join(",", tags));
                consumer.run();
            }
            heartbeats.shutdownNow();
            runner.close();
            LOG.log(Level.INFO, "worker={0} stopped", config.workerId());
        }
    }

    /** The attempt's own lines go to the object store for the API; a log that cannot be written costs the chunk nothing. */
    private static void keepLog(ObjectStore store, ChunkOffer offer, byte[] lines) {
        if (offer.logKey() == null) {
            return;
        }
        try {
            store.put(offer.logKey(), lines, "text/plain; charset=utf-8");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job={0} chunk={1} attempt={2}: its log was not kept: {3}", offer.jobId(), offer.chunkIndex(), offer.attemptId(),
                    e.getMessage());
        }
    }

    private static String joinNotes(String first, String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + "; " + second;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "the worker did not stop within {0} s; its attempt will time out", timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
