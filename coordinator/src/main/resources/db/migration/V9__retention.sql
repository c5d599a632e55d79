-- What the retention sweeper removed from S3, and when: inputs and outputs of finished jobs, chunks of failed ones.
alter table jobs add column inputs_deleted_at timestamptz;
alter table jobs add column outputs_deleted_at timestamptz;
alter table jobs add column chunks_deleted_at timestamptz;
create index jobs_finished on jobs (finished_at) where finished_at is not null;
