-- The console's audit page filters by action and by actor (issue 11), newest first by keyset:
-- without these, a rare actor or action is found by reading the log back to its start. Each side
-- of the audit union has its own: events by action and by actor, counted token issuance by
-- subject (its actor), which also serves the GDPR export that audit_token_issuance_subject_idx
-- served, so that index goes and the issuance path keeps the same number of indexes to update.
create index audit_event_action_idx on audit_event (action, occurred_at desc, id desc);
create index audit_event_actor_idx on audit_event (actor, occurred_at desc, id desc);
create index audit_token_issuance_subject_last_idx on audit_token_issuance (subject, last_at desc, id desc);
drop index audit_token_issuance_subject_idx;

-- A new client secret is shown once by the console (issue 11): it travels sealed in a cookie to
-- the page after the form, and that page records here the random nonce of the cookie before it
-- shows the secret, so a replayed cookie shows nothing, on any replica. Only the nonce and its
-- expiry are stored: never the secret, not even encrypted. Rows live two minutes.
create table console_secret_shown (
    nonce      text        primary key,
    expires_at timestamptz not null
);
