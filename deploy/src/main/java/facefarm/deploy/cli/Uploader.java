package facefarm.deploy.cli;

import facefarm.common.jobs.InputFile;
import facefarm.common.uploads.UploadPlan;
import facefarm.common.uploads.UploadRequest;
import facefarm.common.uploads.UploadState;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Uploads a file straight to the farm's S3 in parts, through the presigned URLs the coordinator hands out: the bytes
 * never pass through the coordinator, a part that fails is sent again, and an interrupted upload resumes with the
 * parts that have not arrived.
 */
public final class Uploader {
    private static final int TRIES = 3;
    private final CoordinatorClient api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Uploader(CoordinatorClient api) {
        this.api = api;
    }

    /** @param progress bytes uploaded so far, after every part */
    public InputFile upload(Path file, LongConsumer progress) {
        try {
            long size = Files.size(file);
            UploadPlan plan = api.startUpload(new UploadRequest(file.getFileName().toString(), size));
            return resume(file, plan, progress);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sends the parts of {@code plan} that have not arrived yet, then completes the upload. */
    public InputFile resume(Path file, UploadPlan plan, LongConsumer progress) {
        UploadState state = api.uploadState(plan.uploadId(), plan.key());
        Set<Integer> arrived = state.parts().stream().map(UploadState.Part::number).collect(Collectors.toSet());
        long done = state.parts().stream().mapToLong(UploadState.Part::size).sum();
        progress.accept(done);
        for (UploadPlan.Part part : plan.parts()) {
            if (arrived.contains(part.number())) {
                continue;
            }
            put(file, part);
            done += part.size();
            progress.accept(done);
        }
        api.completeUpload(plan.uploadId(), plan.key());
        return new InputFile(plan.key(), file.getFileName().toString());
    }

    private void put(Path file, UploadPlan.Part part) {
        IOException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(part.url())).timeout(Duration.ofMinutes(10))
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, part)), part.size()))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                last = new IOException("S3 answered " + response.statusCode() + ": " + response.body());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while uploading " + file, e);
            }
        }
        throw new IllegalStateException("cannot upload part " + part.number() + " of " + file.getFileName() + " after " + TRIES + " tries: "
                + (last == null ? "" : last.getMessage()), last);
    }

    private static InputStream slice(Path file, UploadPlan.Part part) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(part.offset());
            return new java.io.FilterInputStream(in) {
                private long left = part.size();

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    left -= b < 0 ? 0 : 1;
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, offset, (int) Math.min(length, left));
                    left -= Math.max(0, n);
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
