-- Ingest and stitching run on workers as tasks: a job is PREPARING until its prepare task reports, and its picture,
-- timeline and chunks are filled in then. Every prepare or stitch attempt is a row here; the job's current one is fenced
-- like a chunk's.
alter table jobs add column inputs text;
alter table jobs add column options text;
alter table jobs add column failure text;
alter table jobs add column current_task uuid;
alter table jobs add column bytes_read bigint not null default 0;
alter table jobs add column intermediate_bytes bigint not null default 0;
alter table jobs add column output_bytes bigint not null default 0;
alter table attempts add column bytes_read bigint not null default 0;

create table tasks (
    id              uuid primary key,
    job_id          uuid        not null references jobs (id) on delete cascade,
    kind            text        not null,
    number          integer     not null,
    state           text        not null,
    worker_id       text,
    error           text,
    offered_at      timestamptz not null default now(),
    last_seen_at    timestamptz not null default now(),
    finished_at     timestamptz
);
create index tasks_live on tasks (state) where state in ('OFFERED', 'RUNNING');

-- the object whose audio the output carries: the job's new audio, or the target's audio track copied out at prepare
alter table jobs add column sound_key text;
