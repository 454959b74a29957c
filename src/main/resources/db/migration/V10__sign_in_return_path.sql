-- Issue 11: a sign-in started by the admin console returns to the console page that asked for it
-- (SPEC section 11: "no session gets a redirect to sign-in and back"). Only paths of the console
-- are kept, so a flow can never send a browser anywhere else.
alter table login_flow
    add column return_to text,
    add constraint login_flow_return_to_check
        check (return_to is null or (return_to like '/admin%' and client_id is null));
