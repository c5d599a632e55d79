package facefarm.worker.provenance;

import facefarm.common.provenance.ProvenanceReport;
import facefarm.worker.media.MediaException;
import facefarm.worker.provenance.c2pa.CredentialsCheck;
import java.io.IOException;
import java.nio.file.Path;

/** Reads what a file says of where it came from, where the file is: its watermark and its Content Credentials. */
public final class ProvenanceReader {
    private ProvenanceReader() {
    }

    /**
     * @throws MediaException when the file is not a video or image FFmpeg can decode (it then has no watermark to read)
     */
    public static ProvenanceReport read(Path file, int frames) {
        WatermarkReading reading = WatermarkScan.scan(file, frames);
        ProvenanceReport.Credentials credentials;
        try {
            credentials = CredentialsCheck.check(file);
        } catch (IOException | RuntimeException e) {
            credentials = new ProvenanceReport.Credentials(ProvenanceReport.CredentialsStatus.INVALID, "unreadable: " + e.getMessage(), null, null, null,
                    null);
        }
        return new ProvenanceReport(watermark(reading), credentials);
    }

    static ProvenanceReport.Watermark watermark(WatermarkReading reading) {
        if (!reading.found()) {
            return ProvenanceReport.Watermark.none(reading.frames());
        }
        return new ProvenanceReport.Watermark(reading.frames(), reading.payload().get().hex(), reading.bitErrorRate(), reading.framing().keptX(),
                reading.framing().keptY());
    }
}
