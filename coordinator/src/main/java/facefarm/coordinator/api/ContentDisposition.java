package facefarm.coordinator.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A download's file name as RFC 6266 wants it: an ASCII fallback for old clients, and the exact name in UTF-8. */
final class ContentDisposition {
    private ContentDisposition() {
    }

    static String attachment(String fileName) {
        String name = fileName.replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            name = "output";
        }
        String fallback = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
        // RFC 5987 value characters: encode everything but attr-char; URLEncoder's "+" for space is not allowed there
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }
}
