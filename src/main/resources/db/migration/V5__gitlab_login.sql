-- GitLab login (issue 4, SPEC section 5a).

-- A GitLab identity linked to a local account, keyed by (GitLab issuer, GitLab sub): never by email
-- or username, which can change at GitLab. email and username are what GitLab said last.
create table federated_identity (
    issuer        text        not null,
    subject       text        not null,
    user_id       uuid        not null references app_user (id) on delete cascade,
    email         text,
    username      text,
    created_at    timestamptz not null default now(),
    last_login_at timestamptz not null default now(),
    primary key (issuer, subject)
);
create index federated_identity_user_idx on federated_identity (user_id);

-- How the session's person proved who they are ('password' or 'gitlab'): setting a first password
-- needs a GitLab sign-in from the last 5 minutes.
alter table user_session add column auth_method text not null default 'password';

-- A login flow waiting for GitLab's answer (single use: a replayed callback finds nothing), and,
-- when the account page started it, the signed-in user who links GitLab.
alter table login_flow add column gitlab_pending_at timestamptz;
alter table login_flow add column link_user_id uuid references app_user (id) on delete cascade;
