package facefarm.coordinator.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;
import java.util.Map;

/** Plain words for refused requests: what the status means and what to do, without the framework's internals. */
final class ClientErrors {
    private static final Map<Integer, String> MEANINGS = Map.of(
            400, "bad request: check the parameters and the body against /q/openapi",
            401, "authentication required",
            403, "not allowed",
            404, "not found: check the path and the id (ids are UUIDs)",
            405, "method not allowed on this path: see /q/openapi for the methods each path takes",
            406, "cannot answer in the requested type: accept application/json (or text/event-stream for events)",
            409, "conflict with the current state",
            413, "request too large: upload large files in parts (POST /api/v1/uploads) and submit them by key",
            415, "unsupported content type: send multipart/form-data or application/json as /q/openapi says");
    /** Longest piece of a parser's message quoted back; the rest is the client's own input. */
    private static final int MAX_QUOTE = 200;

    private ClientErrors() {
    }

    static String describe(int status) {
        return MEANINGS.getOrDefault(status, "request refused (" + status + ")");
    }

    /** A JSON path such as options.processors[0]. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return clean(path.toString());
    }

    /** Control characters out, length bounded: the answer may be shown in a terminal or a log. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String printable = text.replaceAll("\\p{Cntrl}", " ");
        return printable.length() > MAX_QUOTE ? printable.substring(0, MAX_QUOTE) + "..." : printable;
    }
}
