package facefarm.worker.provenance;

import facefarm.common.provenance.WatermarkPayload;
import java.util.Optional;

/**
 * What a watermark reader found in a video: the payload, when a word with matching check bits was read; the bit error
 * rate, the share of each read frame's word (its blocks' majority) that differs from that payload; how many frames
 * were read; and the framing the word was found under (a crop shows as less than the whole frame).
 */
public record WatermarkReading(Optional<WatermarkPayload> payload, double bitErrorRate, int frames, Framing framing) {
    public static WatermarkReading none(int frames) {
        return new WatermarkReading(Optional.empty(), Double.NaN, frames, null);
    }

    public boolean found() {
        return payload.isPresent();
    }
}
