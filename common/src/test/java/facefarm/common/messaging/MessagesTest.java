package facefarm.common.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.jobs.StageTimings;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.provenance.FrameFinish;
import facefarm.common.provenance.VisibleLabel;
import facefarm.common.provenance.WatermarkPayload;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static final String JOB = "0b7a6f3e-5d2c-4e1b-9a8f-7c6d5e4f3a21";
    private static final String ATTEMPT = "5f1e2d3c-4b5a-4697-8877-66554433aa10";

    private static ChunkOffer offer() {
        return new ChunkOffer(JOB, 3, ATTEMPT, 2, new FrameRange(48, 64), new FrameRange(46, 66), new Keyframe(30, 1_200_000),
                125, 25, 1, 844, 844, "jobs/" + JOB + "/input/target/a.mp4", List.of("jobs/" + JOB + "/input/sources/0-a.png"),
                List.of("face_debugger"), "jobs/" + JOB + "/chunks/3/" + ATTEMPT + ".mkv", AnalysisOptions.DEFAULTS, null, null);
    }

    @Test
    void offerCarriesTheAnalysisAndProcessorOptionsAndReferenceEmbedding() {
        AnalysisOptions analysis = new AnalysisOptions("scrfd", 320, List.of(10, 0, 10, 0), List.of(0, 90), 0.4f, "peppa_wutz", 0.6f, true,
                "reference", "best-worst", 1, 0.25f, 12L);
        ProcessorOptions processing = new ProcessorOptions("inswapper_128", 512, 0.7f, "codeformer", 60, 0.3f, List.of("box", "region"), 0.2f,
                List.of(5, 0, 0, 0), List.of("mouth"), List.of("skin", "nose"), "xseg_2", "bisenet_resnet_18", "feathered");
        ChunkOffer sent = new ChunkOffer(JOB, 0, ATTEMPT, 1, new FrameRange(0, 16), new FrameRange(0, 16), null, 16, 25, 1, 64, 64,
                "t", List.of(), List.of("face_swapper", "face_enhancer"), "o", analysis, new float[] {0.6f, -0.8f}, processing);
        ChunkOffer received = Messages.decode(Messages.encode("coordinator", JOB, sent), ChunkOffer.class).payload();
        assertEquals(analysis, received.analysis());
        assertEquals(processing, received.processorOptions());
        assertEquals(ProcessorOptions.DEFAULTS, offer().processorOptions(), "an offer without processor options takes the defaults");
        assertArrayEquals(new float[] {0.6f, -0.8f}, received.referenceEmbedding());
        assertThrows(IllegalArgumentException.class, () -> new ChunkOffer(JOB, 0, ATTEMPT, 1, new FrameRange(0, 16), new FrameRange(0, 16),
                null, 16, 25, 1, 64, 64, "t", List.of(), List.of(), "o", analysis, null, null));
    }

    @Test
    void offerRoundTripsThroughTheEnvelope() {
        String json = Messages.encode("coordinator", JOB, offer());
        Envelope<ChunkOffer> envelope = Messages.decode(json, ChunkOffer.class);
        assertEquals(offer(), envelope.payload());
        ChunkOffer o = offer();
        ChunkOffer marked = new ChunkOffer(o.jobId(), o.chunkIndex(), o.attemptId(), o.attemptNumber(), o.owned(), o.decoded(), o.seek(), o.framesTotal(),
                o.fpsNumerator(), o.fpsDenominator(), o.width(), o.height(), o.targetKey(), o.sourceKeys(), o.processors(), o.outputKey(), o.analysis(),
                o.referenceEmbedding(), o.processorOptions(), o.audioKey(), o.targetFrames(), o.encoding(), o.assignedWorker(), o.jobEpoch(), o.logKey(),
                o.previewKey(), new FrameFinish(720, new VisibleLabel("AI-generated", null, null), WatermarkPayload.of("studio-farm", java.util.UUID.fromString(JOB))));
        assertEquals(marked.finish(), Messages.decode(Messages.encode("coordinator", JOB, marked), ChunkOffer.class).payload().finish());
        assertEquals(FrameFinish.NONE, offer().finish(), "an offer without a finish takes none");
        assertEquals(MessageType.CHUNK_OFFER, envelope.type());
        assertEquals(JOB, envelope.jobId());
        assertEquals("coordinator", envelope.source());
    }

    @Test
    void workMessagesWithForeignIdsOrKeysAreRefusedWhenDecoded() {
        String good = Messages.encode("coordinator", JOB, offer());
        for (String[] bent : new String[][] {{JOB, "../../etc"}, {ATTEMPT, "not-a-uuid"}, {"jobs/" + JOB + "/input/target/a.mp4", "jobs/../x/a.mp4"},
                {"jobs/" + JOB + "/input/sources/0-a.png", "jobs/11111111-2222-4333-8444-555555555555/input/sources/0-a.png"},
                {"jobs/" + JOB + "/chunks/3/", "/etc/"}}) {
            String forged = good.replace(bent[0], bent[1]);
            InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> Messages.decode(forged, ChunkOffer.class), bent[1]);
            assertTrue(e.getMessage().contains("UUID") || e.getMessage().contains("key"), e.getMessage());
        }
        assertEquals(offer(), Messages.decode(good, ChunkOffer.class).payload());
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
        String future = Messages.encode("c", "job-1", offer()).replace("\"schemaVersion\":" + MessageType.CHUNK_OFFER.schemaVersion(), "\"schemaVersion\":99");
        assertTrue(assertThrows(InvalidMessageException.class, () -> Messages.decode(future, ChunkOffer.class))
                .getMessage().contains("schema version 99"));
        String noOutput = Messages.encode("c", "job-1", offer()).replace("\"outputKey\":\"jobs/" + JOB + "/chunks/3/" + ATTEMPT + ".mkv\"", "\"outputKey\":null");
        assertTrue(noOutput.contains("\"outputKey\":null"));
        assertThrows(InvalidMessageException.class, () -> Messages.decode(noOutput, ChunkOffer.class));
    }
}
