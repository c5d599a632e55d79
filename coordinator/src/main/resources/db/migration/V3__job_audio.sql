-- Dubbing and talking heads: the job's new audio (null: the target's own, if any) and the frames the target itself has
-- (the output may hold its last frame past them; 0 in rows older than this column means all of them).
alter table jobs add column audio_key text;
alter table jobs add column target_frames bigint not null default 0;
