-- Browser sign-in (issue 3): login flows, sessions, codes, refresh tokens, consents, revoked access tokens.
-- Opaque values (cookies, codes, refresh tokens) are stored only as SHA-256 hashes.

-- The pending authorization request while the user signs in (SPEC section 5). Without a client,
-- the flow is a sign-in to the account page.
create table login_flow (
    id_hash        bytea primary key,
    client_id      text references client (client_id) on delete cascade,
    redirect_uri   text,
    scopes         text[]      not null,
    state          text,
    nonce          text,
    code_challenge text,
    prompt         text,
    max_age        integer,
    csrf           text        not null,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null
);
create index login_flow_expires_idx on login_flow (expires_at);

-- The SSO session behind the session cookie; sid is the public id carried in ID tokens.
create table user_session (
    id_hash    bytea primary key,
    sid        text        not null unique,
    user_id    uuid        not null references app_user (id) on delete cascade,
    auth_time  timestamptz not null,
    csrf       text        not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
);
create index user_session_user_idx on user_session (user_id);
create index user_session_expires_idx on user_session (expires_at);

create table authorization_code (
    code_hash      bytea primary key,
    grant_id       uuid        not null references oauth_grant (id) on delete cascade,
    redirect_uri   text        not null,
    code_challenge text,
    nonce          text,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    redeemed_at    timestamptz
);
create index authorization_code_expires_idx on authorization_code (expires_at);
create index authorization_code_grant_idx on authorization_code (grant_id);

create table refresh_token (
    token_hash      bytea primary key,
    grant_id        uuid        not null references oauth_grant (id) on delete cascade,
    scopes          text[]      not null,
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    idle_expires_at timestamptz not null,
    used_at         timestamptz
);
create index refresh_token_grant_idx on refresh_token (grant_id);
create index refresh_token_expires_idx on refresh_token (expires_at);

-- A remembered consent covers later requests for the same or fewer scopes.
create table consent (
    user_id    uuid        not null references app_user (id) on delete cascade,
    client_id  text        not null references client (client_id) on delete cascade,
    scopes     text[]      not null,
    created_at timestamptz not null default now(),
    primary key (user_id, client_id)
);

-- Access tokens revoked before expiry (RFC 7009); rows go when the token would have expired.
create table revoked_access_token (
    jti        text primary key,
    expires_at timestamptz not null
);
create index revoked_access_token_expires_idx on revoked_access_token (expires_at);

alter table oauth_grant add column offline boolean not null default false;
create index oauth_grant_session_idx on oauth_grant (session_id) where session_id is not null;
