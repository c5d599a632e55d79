package facefarm.common.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.StageTimings;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.ProcessorOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static ChunkOffer offer() {
        return new ChunkOffer("job-1", 3, "att-9", 2, new FrameRange(48, 64), new FrameRange(46, 66), new Keyframe(30, 1_200_000),
                125, 25, 1, 844, 844, "jobs/job-1/input/target/a.mp4", List.of("jobs/job-1/input/sources/0-a.png"),
                List.of("face_debugger"), "jobs/job-1/chunks/3/att-9.mkv", AnalysisOptions.DEFAULTS, null, null);
    }

    @Test
    void offerCarriesTheAnalysisAndProcessorOptionsAndReferenceEmbedding() {
        AnalysisOptions analysis = new AnalysisOptions("scrfd", 320, List.of(10, 0, 10, 0), List.of(0, 90), 0.4f, "peppa_wutz", 0.6f, true,
                "reference", "best-worst", 1, 0.25f, 12L);
        ProcessorOptions processing = new ProcessorOptions("inswapper_128", 512, 0.7f, "codeformer", 60, 0.3f, List.of("box", "region"), 0.2f,
                List.of(5, 0, 0, 0), List.of("mouth"), List.of("skin", "nose"), "xseg_2", "bisenet_resnet_18", "feathered");
        ChunkOffer sent = new ChunkOffer("job-1", 0, "att-1", 1, new FrameRange(0, 16), new FrameRange(0, 16), null, 16, 25, 1, 64, 64,
                "t", List.of(), List.of("face_swapper", "face_enhancer"), "o", analysis, new float[] {0.6f, -0.8f}, processing);
        ChunkOffer received = Messages.decode(Messages.encode("coordinator", "job-1", sent), ChunkOffer.class).payload();
        assertEquals(analysis, received.analysis());
        assertEquals(processing, received.processorOptions());
        assertEquals(ProcessorOptions.DEFAULTS, offer().processorOptions(), "an offer without processor options takes the defaults");
        assertArrayEquals(new float[] {0.6f, -0.8f}, received.referenceEmbedding());
        assertThrows(IllegalArgumentException.class, () -> new ChunkOffer("job-1", 0, "att-1", 1, new FrameRange(0, 16), new FrameRange(0, 16),
                null, 16, 25, 1, 64, 64, "t", List.of(), List.of(), "o", analysis, null, null));
    }

    @Test
    void offerRoundTripsThroughTheEnvelope() {
        String json = Messages.encode("coordinator", "job-1", offer());
        Envelope<ChunkOffer> envelope = Messages.decode(json, ChunkOffer.class);
        assertEquals(offer(), envelope.payload());
        assertEquals(MessageType.CHUNK_OFFER, envelope.type());
        assertEquals("job-1", envelope.jobId());
        assertEquals("coordinator", envelope.source());
    }

    @Test
    void eventRoundTrips() {
        ChunkEvent event = new ChunkEvent(ChunkEvent.Kind.COMPLETED, "job-1", 3, "att-9", "worker-1", 16, 16, 41.5, "k",
                new StageTimings(0, 10, 20, 30, 40, 0), null);
        assertEquals(event, Messages.decode(Messages.encode("worker-1", "job-1", event), ChunkEvent.class).payload());
    }

    @Test
    void malformedRecordsAreRejectedWithAReason() {
        assertTrue(assertThrows(InvalidMessageException.class, () -> Messages.decode("{not json", ChunkOffer.class))
                .getMessage().startsWith("not JSON"));
        String event = Messages.encode("w", "j", new ChunkEvent(ChunkEvent.Kind.STARTED, "j", 0, "a", "w", 0, 1, 0, null, null, null));
        assertTrue(assertThrows(InvalidMessageException.class, () -> Messages.decode(event, ChunkOffer.class))
                .getMessage().contains("expected a CHUNK_OFFER"));
        String future = Messages.encode("c", "job-1", offer()).replace("\"schemaVersion\":" + MessageType.CHUNK_OFFER.schemaVersion(), "\"schemaVersion\":7");
        assertTrue(assertThrows(InvalidMessageException.class, () -> Messages.decode(future, ChunkOffer.class))
                .getMessage().contains("schema version 7"));
        String noOutput = Messages.encode("c", "job-1", offer()).replace("\"outputKey\":\"jobs/job-1/chunks/3/att-9.mkv\"", "\"outputKey\":null");
        assertThrows(InvalidMessageException.class, () -> Messages.decode(noOutput, ChunkOffer.class));
    }
}
