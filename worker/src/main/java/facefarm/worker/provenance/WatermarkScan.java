package facefarm.worker.provenance;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.worker.media.FrameReader;
import java.nio.file.Path;

/** Reads the watermark of a video file from its first frames. */
public final class WatermarkScan {
    private WatermarkScan() {
    }

    public static WatermarkReading scan(Path video, int frames) {
        WatermarkReader reader = new WatermarkReader();
        try (FrameReader frameReader = new FrameReader(video, new FrameRange(0, frames), Keyframe.FIRST)) {
            FrameReader.IndexedFrame frame;
            while ((frame = frameReader.next()) != null) {
                try {
                    reader.add(frame.image());
                } finally {
                    frame.image().close();
                }
            }
        }
        return reader.read();
    }
}
