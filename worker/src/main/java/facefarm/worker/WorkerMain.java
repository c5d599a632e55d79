package facefarm.worker;

import facefarm.worker.media.FfmpegLog;
import facefarm.common.messaging.WorkerHeartbeat;
import facefarm.models.ModelStore;
import facefarm.worker.inference.OrtRuntime;
import facefarm.worker.messaging.EventPublisher;
import facefarm.worker.messaging.FenceReader;
import facefarm.worker.messaging.TaskConsumer;
import facefarm.worker.pipeline.ChunkRunner;
import facefarm.worker.preparing.PrepareRunner;
import facefarm.worker.stitching.StitchRunner;
import facefarm.storage.ObjectStore;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A worker process: takes prepare tasks, chunk offers and stitch tasks until stopped, heartbeating all the while. */
public final class WorkerMain {
    private static final System.Logger LOG = System.getLogger(WorkerMain.class.getName());

    private WorkerMain() {
    }

    /** Held so the JUL level set below is not garbage-collected with its logger. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    public static void main(String[] args) {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        FfmpegLog.quiet();
        WorkerConfig config;
        try {
            config = WorkerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            System.exit(2);
            return;
        }
        ModelStore models = ModelStore.fromEnvironment();
        AtomicLong chunksCompleted = new AtomicLong();
        try (ObjectStore store = new ObjectStore(config.s3Endpoint(), config.s3AccessKey(), config.s3SecretKey(), config.s3Bucket(),
                WorkerConfig.S3_OUTAGE_TOLERANCE);
             EventPublisher publisher = new EventPublisher(config.kafkaSettings(), config.workerId());
             FenceReader fences = new FenceReader(config.kafkaSettings(), config.workerId()).start(java.time.Duration.ofSeconds(30))) {
            ChunkRunner runner = new ChunkRunner(config.workerId(), store, models, config.workDir(), OrtRuntime.batchSize(), config.cacheBytes());
            PrepareRunner preparer = new PrepareRunner(config.workerId(), store, models, config.workDir());
            StitchRunner stitcher = new StitchRunner(config.workerId(), store, config.workDir());
            double[] lastFps = {0};
            TaskConsumer consumer = new TaskConsumer(config, publisher, new TaskConsumer.Runners(offer -> {
                var result = runner.run(offer, publisher::chunkEvent, () -> fences.book().wanted(offer.jobId(), offer.chunkIndex(), offer.attemptNumber()));
                if (result.kind() == facefarm.common.messaging.ChunkEvent.Kind.COMPLETED) {
                    chunksCompleted.incrementAndGet();
                    lastFps[0] = result.framesPerSecond();
                }
                return result;
            }, task -> preparer.run(task, publisher::taskEvent), task -> stitcher.run(task, publisher::taskEvent)), fences);
            ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            String host = WorkerConfig.hostName();
            String device = OrtRuntime.device();
            heartbeats.scheduleAtFixedRate(() -> {
                try {
                    TaskConsumer.Current current = consumer.current();
                    publisher.heartbeat(new WorkerHeartbeat(config.workerId(), host, device, runner.modelsLoaded(), lastFps[0],
                            current == null ? null : current.jobId(), current == null ? null : current.chunkIndex(),
                            current == null ? null : current.attemptId(), chunksCompleted.get(), consumer.recentlyReported()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "heartbeat failed: {0}", e.getMessage());
                }
            }, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(consumer::stop, "worker-shutdown"));
            LOG.log(Level.INFO, "worker={0} device={1} kafka={2} s3={3} ready", config.workerId(), device, config.kafkaBootstrap(), config.s3Endpoint());
            consumer.run();
            heartbeats.shutdownNow();
            runner.close();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "worker " + config.workerId() + " stopped: " + e.getMessage(), e);
            System.exit(1);
        }
    }
}
