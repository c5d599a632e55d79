package facefarm.coordinator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void plainNamesStayReadable() {
        assertEquals("attachment; filename=\"take 1-facefarm.mp4\"; filename*=UTF-8''take%201-facefarm.mp4", ContentDisposition.attachment("take 1-facefarm.mp4"));
    }

    @Test
    void unicodeGoesIntoTheUtf8NameAndTheFallbackIsAscii() {
        assertEquals("attachment; filename=\"Caf__d_t_-facefarm.mkv\"; filename*=UTF-8''Caf%C3%A9%E2%80%94d%C3%A9t%C3%A9-facefarm.mkv",
                ContentDisposition.attachment("Café—dété-facefarm.mkv"));
    }

    @Test
    void quotesBackslashesAndControlCharactersCannotBreakTheHeader() {
        assertEquals("attachment; filename=\"a_b_c-facefarm.mp4\"; filename*=UTF-8''a%22b%5Cc-facefarm.mp4", ContentDisposition.attachment("a\"b\\c\r\n\u0000-facefarm.mp4"));
        assertEquals("attachment; filename=\"output\"; filename*=UTF-8''output", ContentDisposition.attachment("\u0007"));
    }
}
