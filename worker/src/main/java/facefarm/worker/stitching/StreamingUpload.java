package facefarm.worker.stitching;

import facefarm.storage.ObjectStore;
import facefarm.worker.media.SeekableSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A muxer's output streamed into an S3 multipart upload as it is written, so a worker's disk never holds the
 * delivered video. Muxers write forward and go back only to fill in the start of the file (MP4's mdat size, Matroska's
 * segment size and seek head) and to write their index at the end: the first part stays in memory until the end and
 * is uploaded last, later parts go as soon as they are full, while the muxer goes on (at most {@link #IN_FLIGHT} at
 * a time). A write into a part already uploaded is refused.
 */
final class StreamingUpload implements SeekableSink {
    /** 16 MiB parts: above S3's 5 MiB least, 160 GB of output within its 10,000 parts. */
    static final int PART = 16 * 1024 * 1024;
    /** Parts uploading while the muxer writes the next: bounds memory to (2 + this) parts. */
    static final int IN_FLIGHT = 2;

    private final ObjectStore store;
    private final String key;
    private final int partSize;
    private final String uploadId;
    private final byte[] head;
    private byte[] tail;
    private final List<CompletableFuture<ObjectStore.UploadedPart>> parts = new ArrayList<>();
    private long tailStart;
    private int tailLength;
    private long size;

    StreamingUpload(ObjectStore store, String key, int partSize) {
        this.store = store;
        this.key = key;
        this.partSize = partSize;
        this.head = new byte[partSize];
        this.tail = new byte[partSize];
        this.tailStart = partSize;
        this.uploadId = store.startMultipart(key);
    }

    @Override
    public void write(long position, byte[] data, int length) throws IOException {
        int done = 0;
        while (done < length) {
            long at = position + done;
            int n;
            if (at < partSize) {
                n = (int) Math.min(length - done, partSize - at);
                System.arraycopy(data, done, head, (int) at, n);
            } else {
                if (at < tailStart) {
                    throw new IOException("the muxer went back to byte " + at + " of " + key + ", in a part already uploaded");
                }
                if (at > tailStart + tailLength) {
                    throw new IOException("the muxer skipped ahead to byte " + at + " of " + key + ", past the " + (tailStart + tailLength)
                            + " bytes written");
                }
                if (at == tailStart + partSize) {
                    flushTail();
                    continue;
                }
                int offset = (int) (at - tailStart);
                n = Math.min(length - done, partSize - offset);
                System.arraycopy(data, done, tail, offset, n);
                tailLength = Math.max(tailLength, offset + n);
            }
            done += n;
            size = Math.max(size, at + n);
        }
    }

    private void flushTail() throws IOException {
        if (parts.size() >= IN_FLIGHT) {
            await(parts.get(parts.size() - IN_FLIGHT));
        }
        parts.add(store.uploadPartAsync(key, uploadId, parts.size() + 2, tail, tailLength));
        tail = new byte[partSize];
        tailStart += tailLength;
        tailLength = 0;
    }

    private static ObjectStore.UploadedPart await(CompletableFuture<ObjectStore.UploadedPart> part) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading", e);
        } catch (ExecutionException e) {
            throw new IOException("a part failed to upload: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void finish() throws IOException {
        try {
            if (tailLength > 0) {
                flushTail();
            }
            List<ObjectStore.UploadedPart> uploaded = new ArrayList<>();
            uploaded.add(store.uploadPart(key, uploadId, 1, head, (int) Math.min(size, partSize)));
            for (CompletableFuture<ObjectStore.UploadedPart> part : parts) {
                uploaded.add(await(part));
            }
            store.completeMultipart(key, uploadId, uploaded);
        } catch (RuntimeException e) {
            throw new IOException("cannot finish the upload of " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void abort() {
        try {
            store.abortMultipart(key, uploadId);
        } catch (RuntimeException e) {
            System.getLogger(StreamingUpload.class.getName()).log(System.Logger.Level.DEBUG, "cannot abort the upload of " + key, e);
        }
    }
}
