-- Token issuance, aggregated (issue 9): one row per (minute, client, subject, scope, grant type)
-- counting the tokens, instead of one audit_event row per token, so that the volume is bounded by
-- the distinct (client, subject, scope) of each minute. Ids are drawn from audit_event's sequence:
-- both kinds then share one keyset order (time, id) in GET /admin/api/audit.
create table audit_token_issuance (
    id         bigint      primary key default nextval('audit_event_id_seq'),
    minute     timestamptz not null,
    client_id  text        not null,
    subject    text        not null,
    scope      text        not null,
    grant_type text        not null,
    count      bigint      not null,
    first_at   timestamptz not null,
    last_at    timestamptz not null,
    constraint audit_token_issuance_key unique (minute, client_id, subject, scope, grant_type)
);
-- newest first (the audit API) and retention (oldest by last_at)
create index audit_token_issuance_last_idx on audit_token_issuance (last_at desc, id desc);
-- the GDPR export of one subject
create index audit_token_issuance_subject_idx on audit_token_issuance (subject);
