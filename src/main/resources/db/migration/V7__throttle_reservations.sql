-- Throttling that holds in parallel (SPEC section 4): an attempt is reserved before its credential
-- is checked and settled after. "pending" counts the reservations still in progress, as if they had
-- failed; "pending_since" is the newest reservation, so that those of a crashed process stop
-- counting after a while instead of blocking for ever.
alter table auth_throttle add column pending integer not null default 0;
alter table auth_throttle add column pending_since timestamptz;
