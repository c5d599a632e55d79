package facefarm.worker.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image's size read from its header alone (PNG, JPEG, BMP, GIF, TIFF), so a hostile file cannot make a worker
 * allocate gigabytes before it is refused. Formats the JDK cannot read (WebP, ...) give no size here.
 */
public final class ImageHeader {
    private ImageHeader() {
    }

    /** Width and height, or empty when the header cannot be read. */
    public static Optional<int[]> size(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new int[] {reader.getWidth(0), reader.getHeight(0)});
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Why the image is too large to decode, or null: at most {@link VideoProbe#MAX_PIXELS} (8K UHD). */
    public static String tooLarge(Path file, String name) {
        return size(file).filter(wh -> (long) wh[0] * wh[1] > VideoProbe.MAX_PIXELS)
                .map(wh -> "'" + name + "' is " + wh[0] + "x" + wh[1] + ", above the farm's largest picture (8K UHD, 7680x4320): scale it down")
                .orElse(null);
    }
}
