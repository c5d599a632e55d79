package facefarm.coordinator.config;

import facefarm.common.messaging.Topics;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The coordinator's own settings (prefix "farm", or FARM_* environment variables); every default is here. */
@ConfigMapping(prefix = "farm")
public interface FarmConfig {

    /** Frames a chunk owns when the job does not say. */
    @WithDefault("48")
    int chunkFrames();

    /** Attempts a chunk gets before its job fails. */
    @WithDefault("3")
    int maxAttempts();

    /** A running attempt with no event for this long is given up and re-offered. */
    @WithDefault("60s")
    Duration heartbeatTimeout();

    /** A failed attempt's retry waits this long, doubling with each further attempt, up to farm.retry-backoff-max. */
    @WithDefault("5s")
    Duration retryBackoff();

    @WithDefault("2m")
    Duration retryBackoffMax();

    /** An offer no worker started within this long of its publication is offered again. */
    @WithDefault("30m")
    Duration offerTimeout();

    /** The chain of jobs that name none; unset, each job gets the best chain whose models are installed and licensed. */
    java.util.Optional<List<String>> defaultProcessors();

    /**
     * Largest request the single multipart POST takes; above it the answer is 413 with how to upload in parts. Large
     * files go to S3 through presigned multipart uploads (POST /api/v1/uploads) and never pass through the coordinator.
     */
    @WithDefault("512M")
    MemorySize maxUploadSize();

    /** Part size handed out for presigned multipart uploads (S3 takes 5 MiB to 5 GiB, at most 10,000 parts). */
    @WithDefault("64M")
    MemorySize uploadPartSize();

    /** How long presigned upload URLs stay valid (at most 7 days). */
    @WithDefault("24h")
    Duration presignExpiry();

    /**
     * True only on the ./farm launcher's loopback stack: elsewhere the coordinator refuses to start with the embedded
     * stack's built-in database and S3 credentials.
     */
    @WithDefault("false")
    boolean embedded();

    Access access();

    Retention retention();

    Notifications notifications();

    Provenance provenance();

    /** What the farm writes into its outputs so that they can be told apart from camera footage. */
    interface Provenance {
        /** The name the watermark's payload identifies this farm by (16 bits of its SHA-256). */
        @WithDefault("facefarm")
        String farmName();

        /** Whether every output frame carries the invisible watermark naming this farm and the job. */
        @WithDefault("true")
        boolean watermark();

        /** Whether delivered MP4s carry signed C2PA Content Credentials (the workers sign with FARM_C2PA_KEY and FARM_C2PA_CHAIN). */
        @WithDefault("true")
        boolean credentials();

        /** Whether every source face of every job needs a consent reference (a job without one is refused with 400). */
        @WithDefault("false")
        boolean consentRequired();

        /** Tenants whose jobs need a consent reference for every source face, when it is not required farm-wide. */
        Optional<List<String>> consentRequiredTenants();

        /** Whether every output carries a visible label: the job's own, else {@link #labelText()} at the bottom right. */
        @WithDefault("false")
        boolean labelRequired();

        /** Tenants whose outputs carry a visible label, when it is not required farm-wide. */
        Optional<List<String>> labelRequiredTenants();

        /** The label's text where the policy adds one. */
        @WithDefault("AI-generated")
        String labelText();

        /** The tallest output this farm delivers, in lines: taller targets are scaled down, the aspect kept. Unset: none. */
        Optional<Integer> maxOutputHeight();

        /** Per-tenant caps, TENANT=LINES (studio-a=1080), in place of {@link #maxOutputHeight()}. */
        Optional<List<String>> maxOutputHeightTenants();
    }

    /**
     * Webhooks on a job's end (DONE, FAILED, CANCELLED): a JSON POST to {@code url}, signed with HMAC-SHA256 of the
     * body under {@code secret} (header X-Facefarm-Signature: sha256=HEX), retried with doubling backoff.
     */
    interface Notifications {
        /** Where every job's end is posted; unset: no webhooks. */
        Optional<String> url();

        /** The HMAC key; unset: calls are not signed. */
        Optional<String> secret();

        /** Calls per notification before it is given up. */
        @WithDefault("8")
        int maxAttempts();

        /** The wait after the first failed call, doubling after each further one (up to 10 min). */
        @WithDefault("5s")
        Duration retryBackoff();

        /**
         * Hosts a job's own webhookUrl may name (exact names, lower case); unset: jobs may not name one, so a studio
         * cannot make the coordinator call into the farm's own network.
         */
        Optional<List<String>> allowedHosts();
    }

    Kafka kafka();

    Limits limits();

    Scheduling scheduling();

    /** How chunks reach workers, and which workers get none (see the README's "Scheduling"). */
    interface Scheduling {
        /** A worker that failed this many chunks or tasks of a job gets no more of that job's chunks. */
        @WithDefault("3")
        int jobFailuresBeforeBlocklist();

        /** A worker that failed this many chunks or tasks, of any jobs, within the quarantine window gets no work until released. */
        @WithDefault("5")
        int quarantineFailures();

        @WithDefault("10m")
        Duration quarantineWindow();

        /**
         * Offers a worker holds at once, the one it runs included. 1: a new job of higher priority starts within one
         * chunk's time; 2: the next chunk waits at the worker, hiding the round trip between chunks, and priority
         * takes up to two chunks' time (see the README's "Dispatch by priority on Kafka").
         */
        @WithDefault("1")
        int offersPerWorker();

        /** How often the duty holder matches queued chunks to free workers (it also does at once after each event). */
        @WithDefault("1s")
        Duration dispatchInterval();
    }

    S3 s3();

    interface Access {
        /**
         * SHA-256 (hex) of an operator token installed at start-up, so a new farm has a first token to make the others
         * with (./farm sets it for the token in $FARM_HOME/token; a deployment sets it from its secret store).
         */
        java.util.Optional<String> bootstrapTokenHash();

        @WithDefault("local-operator")
        String bootstrapTokenName();

        /** The JWT claim that names an OIDC identity's tenant (its roles are in quarkus.oidc.roles.role-claim-path). */
        @WithDefault("facefarm_tenant")
        String oidcTenantClaim();

        /** How long a presigned output URL downloads (a leaked link dies soon after). */
        @WithDefault("5m")
        Duration outputUrlTtl();
    }

    /** How long objects are kept in S3; a sweeper on the coordinator holding the duty lock deletes what is older. */
    interface Retention {
        /** A finished job's own inputs (what came in its request, and the target's audio track). */
        @WithDefault("168h")
        Duration inputs();

        /** A finished job's output: its download answers 410 afterwards. */
        @WithDefault("720h")
        Duration outputs();

        /** A failed job's chunks (a finished job's are deleted as soon as it is stitched). */
        @WithDefault("72h")
        Duration failedChunks();

        /** Uploads no unfinished job refers to. */
        @WithDefault("168h")
        Duration uploads();

        @WithDefault("10m")
        Duration sweepInterval();
    }

    interface Kafka {
        /** Partitions of the offer topic: at least the largest worker count, since a busy worker holds its partitions. */
        @WithDefault("12")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** The workers' consumer group, whose partition assignment spreads offers over the workers in turn. */
        @WithDefault(Topics.WORKER_GROUP)
        String workerGroup();
    }

    /** Ceilings on one job, each refused with a 400 or 413 that names it. */
    interface Limits {
        /** Source face images per job. */
        @WithDefault("16")
        int maxSources();

        /** Smallest chunkFrames a job may ask for: smaller chunks cost more in seams and offers than they gain. */
        @WithDefault("8")
        int minChunkFrames();

        /** Frames of one job's output. */
        @WithDefault("2000000")
        long maxFrames();

        /** Chunks of one job's plan. */
        @WithDefault("20000")
        int maxChunks();
    }

    interface S3 {
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /**
         * The S3 address studios' clients reach, named in the presigned upload and download URLs, when it differs from
         * {@link #endpoint()} (the coordinator inside a cluster or Compose network, studios outside it). Unset: the same.
         */
        Optional<String> publicEndpoint();

        @WithDefault("facefarm")
        String accessKey();

        @WithDefault("facefarm-secret")
        String secretKey();

        @WithDefault("facefarm")
        String bucket();
    }
}
