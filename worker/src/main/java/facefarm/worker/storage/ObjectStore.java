package facefarm.worker.storage;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The farm's bucket on any S3 API (MinIO, s3proxy, AWS), through the MinIO client. */
public final class ObjectStore implements AutoCloseable {
    private final MinioClient client;
    private final String bucket;
    private final String endpoint;

    public ObjectStore(String endpoint, String accessKey, String secretKey, String bucket) {
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region("us-east-1").build();
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
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
        } catch (Exception e) {
            throw new StorageException("cannot upload " + file.getFileName() + " to s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Downloads to a temporary sibling, then moves it into place, so a broken transfer never looks complete. */
    public void download(String key, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Files.deleteIfExists(partial);
            client.downloadObject(DownloadObjectArgs.builder().bucket(bucket).object(key).filename(partial.toString()).build());
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new StorageException("cannot download s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Streams an object into {@code out}. */
    public void copyTo(String key, java.io.OutputStream out) {
        try (java.io.InputStream in = client.getObject(io.minio.GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            in.transferTo(out);
        } catch (Exception e) {
            throw new StorageException("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String key) {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                return false;
            }
            throw new StorageException("cannot check s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("cannot check s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Removes every object under a prefix (a job's, when its ingest is rolled back). */
    public void deletePrefix(String prefix) {
        try {
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(item.get().objectName()).build());
            }
        } catch (Exception e) {
            throw new StorageException("cannot delete s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
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
        } catch (Exception e) {
            throw new StorageException("cannot close the S3 client", e);
        }
    }
}
