-- provenance checks of stored files: queued here, read on a worker, answered by its report (JSON) or an error
create table provenance_checks (
    id            uuid        primary key,
    tenant        text        not null,
    requested_by  text        not null,
    object_key    text        not null,
    sidecar_key   text,
    frames        integer     not null,
    state         text        not null,
    report        text,
    error         text,
    worker_id     text,
    created_at    timestamptz not null default now(),
    finished_at   timestamptz
);
create index provenance_checks_created on provenance_checks (created_at);
