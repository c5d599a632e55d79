package facefarm.models;

import java.util.List;

/**
 * One model the farm can use: the file FaceFusion publishes it as (plus other names it is known by), how to check
 * it, its licence, and where to download it.
 */
public record ModelSpec(
        String id,
        String purpose,
        String file,
        List<String> aliases,
        String sha256,
        long size,
        String license,
        boolean commercialUse,
        List<String> urls) {

    public ModelSpec {
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        urls = List.copyOf(urls == null ? List.of() : urls);
    }

    /** Every file name this model may be stored under, the canonical one first. */
    public List<String> fileNames() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(file), aliases.stream()).toList();
    }
}
