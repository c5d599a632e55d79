package facefarm.deploy.cli;

import facefarm.common.jobs.FaceMapping;
import facefarm.common.jobs.InputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --face-map REFERENCE=SOURCE}: REFERENCE is FRAME:POSITION (the face at POSITION, in the face selector order,
 * of frame FRAME) or a photo of the person; SOURCE goes onto them. For a render SOURCE is a source image's file (added
 * to the job's sources when not among them) or the number of a {@code --source} (from 0); for analyse, a name.
 */
final class FaceMapArgument {
    private static final Pattern IN_TARGET = Pattern.compile("(\\d{1,9}):(\\d{1,4})=(.+)");

    /** One parsed argument: where the person is (a frame and position, or a photo), and what goes onto them. */
    record Entry(long frame, int position, Path photo, String source) {
        String reference() {
            return photo != null ? photo.getFileName().toString() : frame + ":" + position;
        }
    }

    private FaceMapArgument() {
    }

    static Entry parse(String value) {
        Matcher m = IN_TARGET.matcher(value);
        if (m.matches()) {
            return new Entry(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), null, m.group(3));
        }
        int split = value.lastIndexOf('=');
        if (split > 0 && split < value.length() - 1 && Files.isRegularFile(Path.of(value.substring(0, split)))) {
            return new Entry(0, 0, Path.of(value.substring(0, split)), value.substring(split + 1));
        }
        throw new FarmCli.UsageException("--face-map takes FRAME:POSITION=SOURCE (the person is face POSITION, from 0, of frame FRAME) or PHOTO=SOURCE "
                + "(a photo of the person that exists); SOURCE is a source image or a --source number, got " + value);
    }

    /**
     * The job's face map, once its reference photos are uploaded ({@code upload}); a SOURCE that is a file not yet
     * among {@code sources} is appended to them, so call this before the sources are uploaded.
     */
    static List<FaceMapping> resolve(List<Entry> entries, List<Path> sources, Function<Path, InputFile> upload) {
        List<FaceMapping> map = new ArrayList<>();
        for (Entry e : entries) {
            int source = sourceIndex(e.source(), sources);
            map.add(e.photo() != null ? new FaceMapping(upload.apply(e.photo()), source) : new FaceMapping(e.frame(), e.position(), source));
        }
        return map;
    }

    /** The entries' source files, appended to {@code sources} (a render uploads every source). */
    static void addSources(List<Entry> entries, List<Path> sources) {
        entries.forEach(e -> sourceIndex(e.source(), sources));
    }

    private static int sourceIndex(String source, List<Path> sources) {
        if (source.matches("\\d{1,4}") && !Files.exists(Path.of(source))) {
            int index = Integer.parseInt(source);
            if (index >= sources.size()) {
                throw new FarmCli.UsageException("--face-map names source " + index + ", but there are " + sources.size()
                        + " --source image(s), numbered from 0");
            }
            return index;
        }
        Path file = Path.of(source).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new FarmCli.UsageException("--face-map source " + source + " does not exist or is not a file");
        }
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).toAbsolutePath().normalize().equals(file)) {
                return i;
            }
        }
        sources.add(file);
        return sources.size() - 1;
    }
}
