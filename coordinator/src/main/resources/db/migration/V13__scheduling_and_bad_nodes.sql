-- Dispatch by priority to chosen workers: a job's priority and the tags its workers need; why it waits, when no live
-- worker can take it; how often it was retried (its fences name the run they close).
alter table jobs add column priority integer not null default 50;
alter table jobs add column required_tags text not null default '';
alter table jobs add column waiting_for text;
alter table jobs add column epoch integer not null default 0;
-- the worker an offer was sent to, and the partition (of that worker's) it was sent on; a chunk's retry budget starts
-- again when its job is retried
alter table attempts add column assigned_worker text;
alter table attempts add column offer_partition integer;
alter table chunks add column attempts_before_retry integer not null default 0;
create index attempts_queued on attempts (job_id) where state = 'OFFERED' and published_at is null;
-- the workers page sums each worker's attempts (frames rendered, busy time)
create index attempts_worker on attempts (worker_id) where worker_id is not null;

-- what a worker advertises, and an operator's or the farm's decision to give it no more work
alter table workers add column tags text not null default '';
-- a worker shutting down (from its heartbeats, or its hand-back of a chunk) gets no new work
alter table workers add column stopping boolean not null default false;
alter table workers add column drained_at timestamptz;
alter table workers add column drained_by text;
alter table workers add column quarantined_at timestamptz;
alter table workers add column quarantine_reason text;

-- every failure of a worker, for the farm-wide quarantine (M failures within T minutes)
create table worker_failures (
    id          bigserial   primary key,
    worker_id   text        not null,
    job_id      uuid        not null references jobs (id) on delete cascade,
    error       text,
    at          timestamptz not null default now()
);
create index worker_failures_recent on worker_failures (worker_id, at);
