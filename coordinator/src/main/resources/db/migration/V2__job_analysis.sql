-- How a job analyses faces, fixed at ingest (JSON of facefarm.common.jobs.JobAnalysis): resolved options, the models
-- and licences used, and the reference face's embedding.
alter table jobs add column analysis text not null default '{"options":{},"models":[]}';
