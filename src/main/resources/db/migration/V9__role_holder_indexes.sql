-- Who holds a role (issue 11's "who can", and the cascade when a role is deleted): the primary keys
-- of user_role and client_role lead with the subject, so finding the holders of a role scanned the
-- whole table.
create index user_role_role_idx on user_role (role_name);
create index client_role_role_idx on client_role (role_name);
