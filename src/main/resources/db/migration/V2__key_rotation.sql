-- Key rotation (SPEC section 7): a staged key is published at once and signs from activates_at on.
alter table signing_key add column activates_at timestamptz;
create index signing_key_status_idx on signing_key (status, alg);
