package facefarm.deploy.cli;

import facefarm.common.jobs.FaceMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --face-map FRAME:POSITION=SOURCE}: the face at POSITION (in the face selector order) of frame FRAME is a
 * person, and SOURCE goes onto them. SOURCE is a source image's file (added to the job's sources when not among
 * them) or the number of a {@code --source} (from 0).
 */
final class FaceMapArgument {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9}):(\\d{1,4})=(.+)");

    /** One parsed argument: where the person is, and what goes onto them. */
    record Entry(long frame, int position, String source) {
    }

    private FaceMapArgument() {
    }

    static Entry parse(String value) {
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new FarmCli.UsageException("--face-map takes FRAME:POSITION=SOURCE (the person is face POSITION, from 0, of frame FRAME; SOURCE is a "
                    + "source image or a --source number), got " + value);
        }
        return new Entry(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }

    /** The job's face map; a SOURCE that is a file not yet among {@code sources} is appended to them. */
    static List<FaceMapping> resolve(List<String> values, List<Path> sources) {
        List<FaceMapping> map = new ArrayList<>();
        for (String value : values) {
            Entry e = parse(value);
            map.add(new FaceMapping(e.frame(), e.position(), sourceIndex(e.source(), sources)));
        }
        return map;
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
