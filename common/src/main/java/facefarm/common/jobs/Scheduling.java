package facefarm.common.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where and when a job's chunks run (part of {@link JobOptions}): {@code priority} from 0 to 100 (higher first; equal
 * priorities run in submission order; null: {@link #DEFAULT_PRIORITY}), and the tags a worker must advertise to take
 * its chunks ({@code requiredTags}, e.g. "pool=studio-a", "gpu=a100", "model=inswapper_128"; empty: any worker).
 */
public record Scheduling(Integer priority, List<String> requiredTags) {
    public static final int DEFAULT_PRIORITY = 50;
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 100;
    public static final int MAX_TAGS = 16;
    public static final Scheduling DEFAULTS = new Scheduling(DEFAULT_PRIORITY, List.of());
    /** A tag is a word or key=value of letters, digits and . _ - : / (what an operator types in a Helm value). */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:/-]{1,64}(=[A-Za-z0-9._:/-]{1,64})?");

    public Scheduling {
        requiredTags = requiredTags == null ? List.of() : List.copyOf(requiredTags.stream().filter(java.util.Objects::nonNull).distinct().toList());
    }

    public int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }

    /** Problems a studio can fix, in plain words; empty when usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (priority != null) {
            problems.addAll(priorityProblems(priority));
        }
        if (requiredTags.size() > MAX_TAGS) {
            problems.add("requiredTags may name at most " + MAX_TAGS + " tags, got " + requiredTags.size());
        }
        for (String tag : requiredTags) {
            if (!isTag(tag)) {
                problems.add("requiredTags has '" + abbreviate(tag) + "': a tag is a word or key=value of letters, digits and . _ - : / "
                        + "(at most 64 characters each side), e.g. pool=studio-a");
            }
        }
        return problems;
    }

    public static List<String> priorityProblems(int priority) {
        return priority < MIN_PRIORITY || priority > MAX_PRIORITY
                ? List.of("priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY + " (higher runs first), got " + priority)
                : List.of();
    }

    public static boolean isTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
