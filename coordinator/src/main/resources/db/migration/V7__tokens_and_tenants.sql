-- API tokens: only a SHA-256 of each is kept (tokens are 256 random bits, so a fast hash is enough to make a leaked
-- table useless), with the tenant and role it acts as.
create table api_tokens (
    name       text primary key,
    hash       text not null unique,
    tenant     text not null,
    role       text not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);

-- Every job belongs to one tenant (jobs from before tenants belong to 'default') and remembers which token submitted it.
alter table jobs add column tenant text not null default 'default';
alter table jobs add column submitted_by text;
create index jobs_tenant_created on jobs (tenant, created_at desc);
