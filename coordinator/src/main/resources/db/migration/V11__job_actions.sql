-- a job's history: who submitted, cancelled (and later paused, retried, reprioritised) it, and when
create table job_actions (
    id      bigserial   primary key,
    job_id  uuid        not null references jobs (id) on delete cascade,
    action  text        not null,
    actor   text        not null,
    detail  text,
    at      timestamptz not null default now()
);
create index job_actions_job on job_actions (job_id, id);
