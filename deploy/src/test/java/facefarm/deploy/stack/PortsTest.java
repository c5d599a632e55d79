package facefarm.deploy.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void portsChosenTogetherAreDistinctAndFree() {
        for (int round = 0; round < 200; round++) {
            int[] ports = Ports.free(3);
            assertEquals(3, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
            for (int port : ports) {
                assertFalse(Ports.isOpen(port), "port " + port + " is released for its server to bind");
            }
        }
    }
}
