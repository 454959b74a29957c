-- Pairwise subjects (SPEC section 12, OpenID Connect Core section 8). A client sees users either
-- under their id (public) or under a sub computed from its sector (pairwise). The sector is stored
-- resolved (the named one, or the host its redirect URIs shared at registration), so that a later
-- change of redirect URIs never changes the subs the client already knows.
alter table client add column subject_type text not null default 'public'
    check (subject_type in ('public', 'pairwise'));
alter table client add column sector_identifier text;
alter table client add constraint client_sector_iff_pairwise
    check ((subject_type = 'pairwise') = (sector_identifier is not null));

-- The way back from a pairwise sub to its user (GET /admin/api/users?sub=&client_id=), written
-- idempotently whenever such a sub is issued: an HMAC cannot be inverted, and computing it for
-- every user would scan them all. Only subs ever issued exist outside, so only those are needed.
-- Erasure of the user deletes the rows with it.
create table pairwise_subject (
    sector     text        not null,
    sub        text        not null,
    user_id    uuid        not null references app_user (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (sector, sub)
);
create index pairwise_subject_user_idx on pairwise_subject (user_id);
