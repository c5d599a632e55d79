-- Offers and tasks are recorded before they are sent: published_at stays null until the broker acknowledged the
-- record, so one stored but never sent (a crash between commit and send) is sent by the scheduler. A retry waits
-- until not_before (backoff), and the offer timeout counts from publication, not from creation.
alter table attempts add column published_at timestamptz;
alter table attempts add column not_before timestamptz not null default now();
update attempts set published_at = offered_at;

alter table tasks add column published_at timestamptz;
alter table tasks add column not_before timestamptz not null default now();
update tasks set published_at = offered_at;

create index attempts_unpublished on attempts (not_before) where published_at is null;
create index tasks_unpublished on tasks (not_before) where published_at is null;
