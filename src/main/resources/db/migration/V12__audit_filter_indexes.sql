-- The console's audit page filters by action and by actor (issue 11), newest first by keyset:
-- without these, a rare actor or action is found by reading the log back to its start. Each side
-- of the audit union has its own: events by action and by actor, counted token issuance by
-- subject (its actor), which also serves the GDPR export that audit_token_issuance_subject_idx
-- served, so that index goes and the issuance path keeps the same number of indexes to update.
create index audit_event_action_idx on audit_event (action, occurred_at desc, id desc);
create index audit_event_actor_idx on audit_event (actor, occurred_at desc, id desc);
create index audit_token_issuance_subject_last_idx on audit_token_issuance (subject, last_at desc, id desc);
drop index audit_token_issuance_subject_idx;
