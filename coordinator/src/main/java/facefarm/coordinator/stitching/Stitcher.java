package facefarm.coordinator.stitching;

import facefarm.common.jobs.ChunkState;
import facefarm.common.jobs.JobState;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.ChunkRow;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.jobs.JobStore;
import facefarm.worker.storage.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/** Stitches jobs whose chunks are all done, one at a time, and resumes stitches a restart interrupted. */
@ApplicationScoped
public class Stitcher {
    private static final Logger LOG = Logger.getLogger(Stitcher.class);

    @Inject
    JobStore store;

    @Inject
    JobService jobs;

    @Inject
    ObjectStore objects;

    @Inject
    FarmConfig config;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "stitcher"));
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();

    void onStart(@Observes StartupEvent event) {
        store.jobsIn(JobState.STITCHING).forEach(job -> submit(job.id()));
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    public void submit(UUID jobId) {
        if (queued.add(jobId)) {
            executor.submit(() -> {
                try {
                    stitch(jobId);
                } finally {
                    queued.remove(jobId);
                }
            });
        }
    }

    private void stitch(UUID jobId) {
        JobRow job = store.job(jobId).orElseThrow();
        if (job.state() != JobState.STITCHING) {
            return;
        }
        Path dir = config.workDir().resolve("stitch").resolve(jobId.toString());
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            List<ChunkRow> chunks = store.chunks(jobId).stream().sorted(Comparator.comparingInt(ChunkRow::index)).toList();
            List<VideoStitcher.Chunk> files = new ArrayList<>();
            for (ChunkRow chunk : chunks) {
                if (chunk.state() != ChunkState.DONE || chunk.outputKey() == null) {
                    throw new IllegalStateException("chunk " + chunk.index() + " is " + chunk.state() + ", not done");
                }
                Path file = dir.resolve("chunk-" + chunk.index() + ".mkv");
                objects.download(chunk.outputKey(), file);
                files.add(new VideoStitcher.Chunk(file, chunk.owned().length()));
            }
            Path audio = null;
            if (job.audioSourceKey() != null) {
                audio = dir.resolve("audio");
                objects.download(job.audioSourceKey(), audio);
            }
            Path output = dir.resolve("result." + job.outputFormat());
            long frames = VideoStitcher.stitch(files, audio,
                    new VideoStitcher.Output(output, job.outputFormat(), job.width(), job.height(), job.fpsNumerator(), job.fpsDenominator()));
            if (frames != job.framesTotal()) {
                throw new IllegalStateException("stitched " + frames + " frames, the target has " + job.framesTotal());
            }
            String key = ObjectKeys.output(jobId.toString(), job.outputFormat());
            objects.upload(output, key);
            long stitchMs = (System.nanoTime() - started) / 1_000_000L;
            jobs.stitched(jobId, key, stitchMs);
            objects.deletePrefix(ObjectKeys.jobPrefix(jobId.toString()) + "chunks/");
            LOG.infof("job=%s done: %d frames stitched in %d ms", jobId, frames, stitchMs);
        } catch (Exception e) {
            LOG.errorf(e, "job=%s stitching failed", jobId);
            jobs.failJob(jobId, "stitching failed: " + e.getMessage());
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("cannot clean %s: %s", dir, e.getMessage());
        }
    }
}
