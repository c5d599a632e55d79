package facefarm.worker.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.common.provenance.FrameFinish;
import facefarm.common.provenance.VisibleLabel;
import facefarm.common.provenance.WatermarkPayload;
import facefarm.worker.SharedFiles;
import facefarm.worker.media.FrameReader;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;

/** The finish of an output frame on real footage: the cap, the label in its corner only, the watermark on the finished picture. */
class FrameFinisherTest {
    private static final WatermarkPayload PAYLOAD = WatermarkPayload.of("finisher-test", UUID.fromString("0b7a6f3e-5d2c-4e1b-9a8f-7c6d5e4f3a21"));

    @Test
    void scalesToTheCapThenLabelsThenMarks() {
        try (Mat frame = firstFrame();
             FrameFinisher finisher = new FrameFinisher(new FrameFinish(360, new VisibleLabel("AI-generated", "top-left", 1.0), PAYLOAD), frame.cols(),
                     frame.rows())) {
            assertTrue(frame.rows() > 360, "face_2 is taller than the cap: " + frame.rows());
            Mat finished = finisher.finish(frame);
            assertEquals(360, finished.rows());
            assertEquals(Math.round(frame.cols() * 360.0 / frame.rows() / 2) * 2, finished.cols(), "the aspect is kept");
            WatermarkReader reader = new WatermarkReader();
            reader.add(finished);
            assertEquals(PAYLOAD, reader.read().payload().orElseThrow(() -> new AssertionError("the scaled, labelled frame lost its mark")));
        }
    }

    @Test
    void drawsTheLabelInItsCornerOnly() {
        try (Mat plain = firstFrame(); Mat labelled = firstFrame();
             FrameFinisher finisher = new FrameFinisher(new FrameFinish(0, new VisibleLabel("AI-generated", "bottom-right", 0.8), null), plain.cols(),
                     plain.rows())) {
            Mat finished = finisher.finish(labelled);
            assertTrue(finished == labelled, "a frame within the cap is finished in place");
            int w = plain.cols();
            int h = plain.rows();
            assertFalse(same(plain, finished, new Rect(w * 3 / 4, h * 9 / 10, w / 4, h / 10)), "the label is drawn at the bottom right");
            assertTrue(same(plain, finished, new Rect(0, 0, w * 3 / 4, h * 9 / 10)), "nothing else changes");
            assertTrue(same(plain, finished, new Rect(0, 0, w, h / 2)), "the top half is untouched");
        }
    }

    @Test
    void aFinishOfNothingLeavesTheFrameAsItIs() {
        try (Mat plain = firstFrame(); Mat frame = firstFrame(); FrameFinisher finisher = new FrameFinisher(FrameFinish.NONE, frame.cols(), frame.rows())) {
            assertTrue(same(plain, finisher.finish(frame), new Rect(0, 0, frame.cols(), frame.rows())));
        }
    }

    private static boolean same(Mat a, Mat b, Rect region) {
        try (Mat ra = a.apply(region).clone(); Mat rb = b.apply(region).clone()) {
            byte[] x = new byte[(int) (ra.total() * ra.channels())];
            byte[] y = new byte[x.length];
            ((ByteBuffer) ra.createBuffer()).get(x);
            ((ByteBuffer) rb.createBuffer()).get(y);
            return java.util.Arrays.equals(x, y);
        }
    }

    private static Mat firstFrame() {
        try (FrameReader reader = new FrameReader(SharedFiles.media("face_2.mp4"), new FrameRange(0, 1), Keyframe.FIRST)) {
            return reader.next().image();
        }
    }
}
