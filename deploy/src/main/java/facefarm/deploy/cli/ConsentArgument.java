package facefarm.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** A --consent ID[@FILE] argument: the release's reference for one source, and optionally the signed document to keep with the job. */
record ConsentArgument(String id, Path document) {
    static ConsentArgument parse(String value) {
        int at = value.lastIndexOf('@');
        String id = at < 0 ? value : value.substring(0, at);
        if (id.isBlank()) {
            throw new FarmCli.UsageException("--consent needs the release's reference: --consent ID or --consent ID@DOCUMENT, got '" + value + "'");
        }
        if (at < 0) {
            return new ConsentArgument(id, null);
        }
        Path document = Path.of(value.substring(at + 1));
        if (!Files.isRegularFile(document)) {
            throw new FarmCli.UsageException("--consent " + value + ": no such document " + document);
        }
        return new ConsentArgument(id, document);
    }
}
