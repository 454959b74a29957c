-- SPEC section 12: mail is queued in the transaction of the change that causes it and sent after
-- commit by whichever replica locks the row first (FOR UPDATE SKIP LOCKED). The body carries the
-- mail's single-use link, so it is stored encrypted under the key-encryption key (kek_id names
-- which one), never in clear; a sent mail's row is deleted. user_id ties the mail to the account
-- it concerns, so that erasing the account takes its queued mail (and address) with it.
create table mail_outbox (
    id              bigint generated always as identity primary key,
    user_id         uuid        not null references app_user (id) on delete cascade,
    kek_id          text        not null,
    sealed          bytea       not null,
    created_at      timestamptz not null,
    -- a mail not sent by then is dropped: its link has expired, or its news is stale
    expires_at      timestamptz not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at);
create index mail_outbox_user_idx on mail_outbox (user_id);

-- Single-use links sent by mail (verification, password reset, email change, invitation): only the
-- SHA-256 of the link's token is stored. One live link per (user, purpose): a newer one voids the
-- older. Using a link deletes its row, so two replicas cannot both honour it.
create table email_link (
    token_hash bytea       primary key,
    user_id    uuid        not null references app_user (id) on delete cascade,
    purpose    text        not null,
    -- change_email: the address the link confirms
    new_email  text,
    -- registration: the login flow to resume when the same browser follows the link
    flow_id    text,
    created_at timestamptz not null,
    expires_at timestamptz not null
);
create index email_link_user_purpose_idx on email_link (user_id, purpose);
create index email_link_expires_idx on email_link (expires_at);
