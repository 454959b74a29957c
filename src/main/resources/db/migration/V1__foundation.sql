-- Meltano Auth foundation schema (issue 2). PostgreSQL only.

create table app_user (
    id                  uuid primary key,
    email               text        not null,
    email_normalized    text        not null unique,
    email_verified      boolean     not null default false,
    password_hash       text,
    enabled             boolean     not null default true,
    password_changed_at timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);

create table role (
    name        text primary key,
    description text,
    created_at  timestamptz not null default now()
);

create table role_permission (
    role_name text not null references role (name) on delete cascade,
    type      text not null,
    context   text not null,
    primary key (role_name, type, context)
);

-- source: 'manual' or 'gitlab:<group>' (SPEC section 5a); one row per (user, role, source).
create table user_role (
    user_id    uuid        not null references app_user (id) on delete cascade,
    role_name  text        not null references role (name) on delete cascade,
    source     text        not null default 'manual',
    created_at timestamptz not null default now(),
    primary key (user_id, role_name, source)
);

create table client (
    client_id                  text primary key,
    name                       text        not null,
    secret_hash                bytea,
    token_endpoint_auth_method text        not null,
    redirect_uris              text[]      not null default '{}',
    post_logout_redirect_uris  text[]      not null default '{}',
    grant_types                text[]      not null default '{}',
    scopes                     text[]      not null default '{}',
    first_party                boolean     not null default false,
    admin_api                  boolean     not null default false,
    enabled                    boolean     not null default true,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now()
);

create table client_role (
    client_id  text        not null references client (client_id) on delete cascade,
    role_name  text        not null references role (name) on delete cascade,
    source     text        not null default 'manual',
    created_at timestamptz not null default now(),
    primary key (client_id, role_name, source)
);

-- Every issued token points to a grant; revoking the grant revokes what it issued (SPEC section 4).
create table oauth_grant (
    id         uuid primary key,
    client_id  text        not null references client (client_id) on delete cascade,
    user_id    uuid references app_user (id) on delete cascade,
    subject    text        not null,
    scopes     text[]      not null,
    session_id text,
    auth_time  timestamptz,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
);
create index oauth_grant_client_idx on oauth_grant (client_id);
create index oauth_grant_user_idx on oauth_grant (user_id) where user_id is not null;
create index oauth_grant_expires_idx on oauth_grant (expires_at);

-- Private parts wrapped with AES-GCM under the key-encryption key, kid as associated data.
create table signing_key (
    kid          text primary key,
    alg          text        not null,
    status       text        not null check (status in ('staged', 'active', 'retired')),
    public_key   bytea       not null,
    public_jwk   text        not null,
    private_key  bytea       not null,
    kek_id       text        not null,
    created_at   timestamptz not null default now(),
    activated_at timestamptz,
    retired_at   timestamptz
);
create unique index signing_key_one_active_per_alg on signing_key (alg) where status = 'active';

-- Random keys (not derived from the KEK), wrapped under it; name is the associated data.
create table secret_key (
    name         text primary key,
    key_material bytea       not null,
    kek_id       text        not null,
    created_at   timestamptz not null default now()
);

-- Failed-credential throttling (SPEC section 4): per (kind, subject, source address).
create table auth_throttle (
    kind          text        not null,
    subject       text        not null,
    address       text        not null,
    failures      integer     not null,
    blocked_until timestamptz not null,
    updated_at    timestamptz not null,
    primary key (kind, subject, address)
);
create index auth_throttle_updated_idx on auth_throttle (updated_at);

-- Who did what, when. Never a secret, a token or an email: actors and targets are ids.
create table audit_event (
    id          bigint generated always as identity primary key,
    occurred_at timestamptz not null,
    actor       text        not null,
    action      text        not null,
    target      text,
    details     text
);
create index audit_event_occurred_idx on audit_event (occurred_at desc, id desc);

-- Built-in roles, as in Meltano (SPEC section 9). A migration, so that replicas starting together agree.
insert into role (name, description) values
    ('admin', 'Administrative rights to everything'),
    ('regular', 'Default role of new users; no permissions until an admin grants some');
insert into role_permission (role_name, type, context) values
    ('admin', 'view:design', '*'),
    ('admin', 'view:reports', '*'),
    ('admin', 'modify:acl', '*'),
    ('admin', '*', '*');
