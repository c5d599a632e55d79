-- Since when a worker's heartbeats have named no work: an offer that waits while every worker is busy is queued, not
-- lost, and only a worker idle for a while makes a long-waiting offer suspect.
alter table workers add column idle_since timestamptz;
