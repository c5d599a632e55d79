package facefarm.common.jobs;

/** A model a job used, with the licence it was used under: the job's record of what it depends on. */
public record ModelUse(String id, String file, String license, boolean commercialUse) {
}
