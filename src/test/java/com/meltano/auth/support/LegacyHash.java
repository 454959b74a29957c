package com.meltano.auth.support;

/**
 * A password and its Argon2id hash as the server stored it before the parameters changed to
 * m = 7168, t = 5 (made by that build's PasswordHasher at m = 19456, t = 2, p = 1).
 */
public final class LegacyHash {

    public static final String PASSWORD = "a password from before stop 27";
    public static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$esHmOEgIh1sI2H6s/ai2Gw$CE62ailkebBfGr/K41yBW4nepibW9BiKKhpg2DneeOk";

    private LegacyHash() {
    }
}
