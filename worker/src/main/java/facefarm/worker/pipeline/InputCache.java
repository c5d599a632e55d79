package facefarm.worker.pipeline;

import facefarm.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A worker's disk cache of jobs' small inputs (source images, new audio), one folder per job, bounded by bytes: before
 * a download, the least recently used jobs' folders go until the new file fits. The job being worked on is never
 * evicted, so a file larger than the whole budget still works (and is the only thing kept).
 */
public final class InputCache {
    private final Path dir;
    private final long maxBytes;

    public InputCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** The object, from the cache or downloaded into it. */
    public synchronized Path fetch(ObjectStore store, String jobId, String key) throws IOException {
        // the key's path under the job keeps a target and an audio file of the same name apart
        String folder = "jobs/" + jobId + "/";
        int at = key.indexOf(folder);
        Path job = dir.resolve(jobId);
        Path cached = job.resolve(at >= 0 ? key.substring(at + folder.length()) : key.substring(key.lastIndexOf('/') + 1));
        if (!Files.isRegularFile(cached)) {
            long size = Math.max(0, store.size(key));
            makeRoom(size, job);
            Files.createDirectories(cached.getParent());
            store.download(key, cached);
        }
        Files.setLastModifiedTime(job, FileTime.from(Instant.now()));
        return cached;
    }

    /** Removes least recently used job folders (never {@code keep}) until {@code incoming} more bytes fit the budget. */
    void makeRoom(long incoming, Path keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> jobs;
        try (var list = Files.list(dir)) {
            jobs = new ArrayList<>(list.filter(Files::isDirectory).toList());
        }
        jobs.sort(Comparator.comparingLong((Path p) -> p.toFile().lastModified()));
        long used = 0;
        for (Path job : jobs) {
            used += bytes(job);
        }
        for (Path oldest : jobs) {
            if (used + incoming <= maxBytes) {
                return;
            }
            if (!oldest.equals(keep)) {
                used -= bytes(oldest);
                delete(oldest);
            }
        }
    }

    /** Bytes held now. */
    long bytes() throws IOException {
        return Files.isDirectory(dir) ? bytes(dir) : 0;
    }

    private static long bytes(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
