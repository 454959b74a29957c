-- Signing keys in a PKCS#11 token (SPEC section 15): such a row keeps the public key, the kid and
-- the label of the private key object in the token; no private key, wrapped or not.
alter table signing_key alter column private_key drop not null;
alter table signing_key alter column kek_id drop not null;
alter table signing_key add column pkcs11_label text;
alter table signing_key add constraint signing_key_private_part_in_one_place
    check ((pkcs11_label is null and private_key is not null and kek_id is not null)
        or (pkcs11_label is not null and private_key is null and kek_id is null));
