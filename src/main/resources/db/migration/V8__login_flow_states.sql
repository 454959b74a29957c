-- Issue 10: each authorization request is its own login flow, with an explicit state (SPEC section 5).
-- A flow is addressed by its public id (in the page URL) or by its form token (the csrf input), and
-- bound to the browser that started it by the hash of the browser's flow cookie, so that tabs never
-- collide and a forged cross-site form finds no flow. Finished and expired flows stay a day (the
-- housekeeping's grace), so that a late form gets a page naming its application, not a false error.

-- flows of the old shape (one per browser cookie) cannot be continued: their sign-ins start again
delete from login_flow;

alter table login_flow
    add column public_id    text        not null,
    add column browser_hash bytea       not null,
    add column flow_state   text        not null default 'awaiting_login',
    add column user_id      uuid        references app_user (id) on delete cascade,
    add column typed_email  text,
    add column finished_at  timestamptz,
    add constraint login_flow_public_id_key unique (public_id),
    add constraint login_flow_state_check
        check (flow_state in ('awaiting_login', 'awaiting_consent', 'completed', 'abandoned'));

create index login_flow_browser_idx on login_flow (browser_hash);
