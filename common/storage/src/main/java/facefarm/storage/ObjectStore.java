package facefarm.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.ListPartsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The farm's bucket on any S3 API (MinIO, s3proxy, AWS), through the MinIO client. */
public final class ObjectStore implements AutoCloseable {
    private static final String REGION = "us-east-1";
    private final MinioClient client;
    /** Signs the URLs handed out; another client when clients reach S3 by another address than this process. */
    private final MinioClient presigner;
    /** The multipart calls (create, list parts, complete, abort) are only on the asynchronous client. */
    private final MinioAsyncClient multipart;
    private final String bucket;
    private final String endpoint;
    private final Duration outageTolerance;

    /** A store whose calls fail at once when S3 cannot be reached (a request path: the caller answers 503). */
    public ObjectStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this(endpoint, accessKey, secretKey, bucket, Duration.ZERO);
    }

    /**
     * @param outageTolerance how long a call waits out S3 being unreachable (restarting, a network blip), trying again
     *     with growing pauses, before it fails: a worker's upload should survive a short outage, not burn an attempt
     */
    public ObjectStore(String endpoint, String accessKey, String secretKey, String bucket, Duration outageTolerance) {
        this(endpoint, endpoint, accessKey, secretKey, bucket, outageTolerance);
    }

    /**
     * @param presignEndpoint the S3 address the presigned URLs name, for clients that reach S3 by another address than
     *     this process does (a coordinator inside a cluster network, studios outside it); signing needs no request
     */
    public ObjectStore(String endpoint, String presignEndpoint, String accessKey, String secretKey, String bucket, Duration outageTolerance) {
        this.outageTolerance = outageTolerance;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(REGION).build();
        this.presigner = presignEndpoint.equals(endpoint) ? client
                : MinioClient.builder().endpoint(presignEndpoint).credentials(accessKey, secretKey).region(REGION).build();
        this.multipart = MinioAsyncClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(REGION).build();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    /** Runs a call, riding out S3 being unreachable for up to the outage tolerance; any other failure is final. */
    private <T> T riding(String what, Call<T> call) {
        long deadline = System.nanoTime() + outageTolerance.toNanos();
        long pauseMs = 500;
        while (true) {
            try {
                return call.run();
            } catch (Exception e) {
                if (!unreachable(e) || System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    throw new StorageException(what + ": " + message(e), e);
                }
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(what + ": interrupted while S3 was unreachable", e);
                }
                pauseMs = Math.min(pauseMs * 2, 5_000);
            }
        }
    }

    /** A failure to reach S3 at all (refused, reset, timed out), as opposed to an answer from it. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException || t instanceof java.net.UnknownHostException
                    || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** A part already uploaded: its number (from 1) and the ETag the server gave it. */
    public record UploadedPart(int number, String etag, long size) {
    }

    /** A URL anyone holding it may GET (or range-read) the object with, until it expires; FFmpeg reads targets this way. */
    public String presignedGet(String key, Duration expiry) {
        return presign(Http.Method.GET, key, expiry, Map.of());
    }

    /** A presigned GET whose answer carries {@code contentDisposition}, so the download is saved under a chosen name. */
    public String presignedGet(String key, Duration expiry, String contentDisposition) {
        return presign(Http.Method.GET, key, expiry, Map.of("response-content-disposition", contentDisposition));
    }

    /** Starts a multipart upload of {@code key}; its parts are PUT to {@link #presignedPart} URLs. */
    public String startMultipart(String key) {
        return riding("cannot start a multipart upload of s3://" + bucket + "/" + key,
                () -> multipart.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket).object(key).build()).get().result().uploadId());
    }

    /** A URL to PUT part {@code number} (from 1) of a multipart upload to. */
    public String presignedPart(String key, String uploadId, int number, Duration expiry) {
        return presign(Http.Method.PUT, key, expiry, Map.of("uploadId", uploadId, "partNumber", Integer.toString(number)));
    }

    /** The parts of an unfinished multipart upload that have arrived, so a client can resume where it stopped. */
    public List<UploadedPart> uploadedParts(String key, String uploadId) {
        try {
            List<UploadedPart> parts = new ArrayList<>();
            Integer marker = null;
            while (true) {
                ListPartsArgs.Builder args = ListPartsArgs.builder().bucket(bucket).object(key).uploadId(uploadId).maxParts(1000);
                if (marker != null) {
                    args.partNumberMarker(marker);
                }
                var result = multipart.listParts(args.build()).get().result();
                result.parts().forEach(p -> parts.add(new UploadedPart(p.partNumber(), p.etag(), p.partSize())));
                if (!result.isTruncated() || result.parts().isEmpty()) {
                    return parts;
                }
                marker = result.nextPartNumberMarker();
            }
        } catch (Exception e) {
            throw new StorageException("cannot list the parts of upload " + uploadId + " of s3://" + bucket + "/" + key + ": " + message(e), e);
        }
    }

    /** Uploads part {@code number} (from 1) of a multipart upload from memory; S3 wants at least 5 MiB in every part but the last. */
    public UploadedPart uploadPart(String key, String uploadId, int number, byte[] data, int length) {
        return riding("cannot upload part " + number + " of s3://" + bucket + "/" + key, () -> uploadPartAsync(key, uploadId, number, data, length).get());
    }

    /** {@link #uploadPart} without waiting: the caller keeps {@code data} unchanged until the future completes. */
    public java.util.concurrent.CompletableFuture<UploadedPart> uploadPartAsync(String key, String uploadId, int number, byte[] data, int length) {
        try {
            return multipart.uploadPart(UploadPartArgs.builder().bucket(bucket).object(key).uploadId(uploadId).partNumber(number)
                    .data(data, length).build()).thenApply(response -> new UploadedPart(number, response.part().etag(), length));
        } catch (Exception e) {
            throw new StorageException("cannot upload part " + number + " of s3://" + bucket + "/" + key + ": " + message(e), e);
        }
    }

    /** Joins the uploaded parts (in number order) into the object. */
    public void completeMultipart(String key, String uploadId, List<UploadedPart> parts) {
        Part[] sorted = parts.stream().sorted(java.util.Comparator.comparingInt(UploadedPart::number))
                .map(p -> new Part(p.number(), p.etag())).toArray(Part[]::new);
        riding("cannot complete upload " + uploadId + " of s3://" + bucket + "/" + key, () -> multipart.completeMultipartUpload(
                CompleteMultipartUploadArgs.builder().bucket(bucket).object(key).uploadId(uploadId).parts(sorted).build()).get());
    }

    public void abortMultipart(String key, String uploadId) {
        try {
            multipart.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key).uploadId(uploadId).build()).get();
        } catch (Exception e) {
            throw new StorageException("cannot abort upload " + uploadId + " of s3://" + bucket + "/" + key + ": " + message(e), e);
        }
    }

    /** The object's size in bytes, or -1 when there is no such object. */
    public long size(String key) {
        // rides out an outage like the other calls: a worker checking its cached inputs must not burn an attempt on it
        return riding("cannot check s3://" + bucket + "/" + key, () -> {
            try {
                return client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                    return -1L;
                }
                throw e;
            }
        });
    }

    private String presign(Http.Method method, String key, Duration expiry, Map<String, String> query) {
        try {
            return presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(method).bucket(bucket).object(key)
                    .expiry((int) Math.min(expiry.toSeconds(), MAX_PRESIGN.toSeconds()), TimeUnit.SECONDS).extraQueryParams(query).build());
        } catch (Exception e) {
            throw new StorageException("cannot presign " + method + " s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** SigV4 presigned URLs live at most seven days. */
    public static final Duration MAX_PRESIGN = Duration.ofDays(7);

    private static String message(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage();
    }

    public String bucket() {
        return bucket;
    }

    public void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (Exception e) {
            throw new StorageException("cannot reach bucket '" + bucket + "' at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    public void upload(Path file, String key) {
        riding("cannot upload " + file.getFileName() + " to s3://" + bucket + "/" + key,
                () -> client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build()));
    }

    /** Downloads to a temporary sibling, then moves it into place, so a broken transfer never looks complete. */
    public void download(String key, Path file) {
        riding("cannot download s3://" + bucket + "/" + key, () -> {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Files.deleteIfExists(partial);
            client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(partial.toString()).build());
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    /** Writes a small object (a log) from memory. */
    public void put(String key, byte[] data, String contentType) {
        riding("cannot write s3://" + bucket + "/" + key, () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new java.io.ByteArrayInputStream(data), (long) data.length, -1L).contentType(contentType).build()));
    }

    /** A small object's bytes, at most {@code maxBytes} of its end; empty when there is no such object. */
    public java.util.Optional<byte[]> readTail(String key, long maxBytes) {
        long size = size(key);
        if (size < 0) {
            return java.util.Optional.empty();
        }
        long offset = Math.max(0, size - maxBytes);
        return java.util.Optional.of(riding("cannot read s3://" + bucket + "/" + key, () -> {
            GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key);
            if (offset > 0) {
                args.offset(offset);
            }
            try (java.io.InputStream in = client.getObject(args.build())) {
                return in.readAllBytes();
            }
        }));
    }

    public boolean exists(String key) {
        return size(key) >= 0;
    }

    /** Removes every object under a prefix (a job's, when its ingest is rolled back). */
    public void deletePrefix(String prefix) {
        riding("cannot delete s3://" + bucket + "/" + prefix, () -> {
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(item.get().objectName()).build());
            }
            return null;
        });
    }

    /** Keys under {@code prefix} last written before {@code before}. */
    public java.util.List<String> listOlderThan(String prefix, java.time.Instant before) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        return riding("cannot list s3://" + bucket + "/" + prefix, () -> {
            keys.clear();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (item.lastModified() != null && item.lastModified().toInstant().isBefore(before)) {
                    keys.add(item.objectName());
                }
            }
            return keys;
        });
    }

    /** The object's bytes as a stream, from the start; the caller closes it. */
    public java.io.InputStream open(String key) {
        return riding("cannot read s3://" + bucket + "/" + key, () -> client.getObject(io.minio.GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /** Copies an object within the bucket, on the server: its bytes never pass through this process. */
    public void copy(String fromKey, String toKey) {
        riding("cannot copy s3://" + bucket + "/" + fromKey + " to " + toKey, () -> client.copyObject(io.minio.CopyObjectArgs.builder().bucket(bucket)
                .object(toKey).source(io.minio.SourceObject.builder().bucket(bucket).object(fromKey).build()).build()));
    }

    public void delete(String key) {
        riding("cannot delete s3://" + bucket + "/" + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    public java.util.List<String> list(String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        try {
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new StorageException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
            multipart.close();
            if (presigner != client) {
                presigner.close();
            }
        } catch (Exception e) {
            throw new StorageException("cannot close the S3 client", e);
        }
    }
}
