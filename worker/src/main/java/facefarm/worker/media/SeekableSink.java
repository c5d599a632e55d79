package facefarm.worker.media;

import java.io.IOException;

/**
 * Where a muxer's bytes go when they do not go to a local file: written at a position (a muxer goes back to fill in
 * sizes and indexes), then finished or abandoned.
 */
public interface SeekableSink {
    void write(long position, byte[] data, int length) throws IOException;

    /** Bytes written so far: the position of the furthest byte, plus one. */
    long size();

    /** Everything is written: make it durable. */
    void finish() throws IOException;

    /** The output is abandoned: discard what was written. */
    void abort();
}
