package facefarm.worker.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatermarkCodeTest {
    @Test
    void decodesWhatItEncodesAndRefusesAnyOneBitChanged() {
        long payload = 0x7bd83f6c2a915d7eL;
        boolean[] word = WatermarkCode.encode(payload);
        assertEquals(payload, WatermarkCode.decode(word).getAsLong());
        for (int i = 0; i < word.length; i++) {
            boolean[] flipped = word.clone();
            flipped[i] = !flipped[i];
            assertTrue(WatermarkCode.decode(flipped).isEmpty(), "bit " + i + " flipped still checks out");
        }
    }

    @Test
    void spreadsEveryBitOverSixColumnsOfTheGrid() {
        for (int bit = 0; bit < WatermarkCode.BITS; bit++) {
            Set<Integer> columns = new HashSet<>();
            int copies = 0;
            for (int row = 0; row < WatermarkGrid.BLOCKS; row++) {
                for (int column = 0; column < WatermarkGrid.BLOCKS; column++) {
                    if (WatermarkGrid.bitOf(row, column) == bit) {
                        copies++;
                        columns.add(column);
                    }
                }
            }
            assertEquals(6, copies, "copies of bit " + bit);
            assertEquals(6, columns.size(), "columns of bit " + bit);
        }
    }
}
