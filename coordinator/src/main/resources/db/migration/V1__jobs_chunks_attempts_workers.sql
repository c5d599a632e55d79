-- PostgreSQL is the source of truth for jobs, chunks, attempts and workers; Kafka only carries offers and events.
create table jobs (
    id              uuid primary key,
    state           text        not null,
    target_name     text        not null,
    target_key      text        not null,
    source_keys     text        not null,
    processors      text        not null,
    output_format   text        not null,
    frames_total    bigint      not null,
    fps_num         integer     not null,
    fps_den         integer     not null,
    width           integer     not null,
    height          integer     not null,
    video_codec     text        not null,
    has_audio       boolean     not null,
    chunk_frames    integer     not null,
    warmup          integer     not null,
    lookahead       integer     not null,
    output_key      text,
    error           text,
    probe_ms        bigint      not null default 0,
    decode_ms       bigint      not null default 0,
    process_ms      bigint      not null default 0,
    encode_ms       bigint      not null default 0,
    transfer_ms     bigint      not null default 0,
    stitch_ms       bigint      not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    finished_at     timestamptz
);

create table chunks (
    job_id          uuid        not null references jobs (id) on delete cascade,
    idx             integer     not null,
    own_start       bigint      not null,
    own_end         bigint      not null,
    dec_start       bigint      not null,
    dec_end         bigint      not null,
    seek_index      bigint      not null,
    seek_ts         bigint      not null,
    state           text        not null,
    attempts        integer     not null default 0,
    current_attempt uuid,
    output_key      text,
    error           text,
    primary key (job_id, idx)
);

create table attempts (
    id              uuid primary key,
    job_id          uuid        not null,
    chunk_idx       integer     not null,
    number          integer     not null,
    state           text        not null,
    worker_id       text,
    output_key      text        not null,
    frames_done     bigint      not null default 0,
    fps             double precision not null default 0,
    error           text,
    offered_at      timestamptz not null default now(),
    started_at      timestamptz,
    last_seen_at    timestamptz not null default now(),
    finished_at     timestamptz,
    foreign key (job_id, chunk_idx) references chunks (job_id, idx) on delete cascade
);
create index attempts_live on attempts (state) where state in ('OFFERED', 'RUNNING');

-- workers that failed a job's chunks, for operators (and later for routing around them)
create table job_failed_workers (
    job_id          uuid        not null references jobs (id) on delete cascade,
    worker_id       text        not null,
    failures        integer     not null default 1,
    last_error      text,
    primary key (job_id, worker_id)
);

create table workers (
    id              text primary key,
    host            text,
    device          text,
    models          text,
    fps             double precision not null default 0,
    current_job     text,
    current_chunk   integer,
    chunks_completed bigint     not null default 0,
    last_seen_at    timestamptz not null default now()
);
