package facefarm.common.provenance;

import facefarm.common.jobs.JobStatus;
import java.util.List;

/**
 * What a farm knows of a watermark's payload (GET /api/v1/provenance/watermarks/{payload}): whether it names this
 * farm ({@code farmName} is then this farm's name, else null), and the jobs of this farm the caller may see whose
 * id starts with the payload's 48 job bits (normally one).
 */
public record WatermarkOrigin(String payload, int farmCode, boolean thisFarm, String farmName, String jobIdPrefix, List<JobStatus> jobs) {
    public WatermarkOrigin {
        jobs = List.copyOf(jobs);
    }
}
