-- attempts handed back by stopping workers (scale-down, drain): offered again at once, not counted against max-attempts
alter table chunks add column released integer not null default 0;

-- what each worker computes with, from its heartbeats: execution provider, chunk encoder, why a GPU is not in use
alter table workers add column execution_provider text;
alter table workers add column video_encoder text;
alter table workers add column accelerator_note text;
