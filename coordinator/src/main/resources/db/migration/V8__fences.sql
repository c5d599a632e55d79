-- The outbox of the fence topic: a job is fenced once it ends, a chunk each time a new attempt supersedes the last.
alter table jobs add column fenced_at timestamptz;
alter table chunks add column fenced_attempt int not null default 1;
update jobs set fenced_at = now() where state in ('DONE', 'FAILED');
update chunks set fenced_attempt = attempts where attempts > 1;
