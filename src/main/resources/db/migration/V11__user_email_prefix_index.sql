-- Finding users by the start of their email (the console's users page, issue 11), in pages ordered
-- by email: the unique index of V1 follows the database's collation, under which neither
-- "email_normalized like 'ann%'" nor a range bound on a prefix can use it (outside the C locale).
-- Under the C collation the order is the code-point order of the normalized email, a prefix is a
-- range of that order, and one index serves the search, the order and the keyset cursor.
create index app_user_email_c_idx on app_user (email_normalized collate "C");
