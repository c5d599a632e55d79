-- webhook calls about jobs' ends: queued with the state change, delivered (and retried) by the duty holder
create table notifications (
    id            bigserial   primary key,
    job_id        uuid        not null references jobs (id) on delete cascade,
    url           text        not null,
    event         text        not null,
    attempts      integer     not null default 0,
    next_at       timestamptz not null default now(),
    last_status   integer,
    last_error    text,
    last_at       timestamptz,
    delivered_at  timestamptz,
    created_at    timestamptz not null default now()
);
create index notifications_due on notifications (next_at) where delivered_at is null;
create index notifications_job on notifications (job_id);
