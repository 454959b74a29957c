package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.LegacyHash;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A sign-in replaces a hash at older Argon2id parameters only while the row still holds the hash it
 * read: a password changed in between (a reset, an admin) is never put back.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PasswordRehashTest {

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    DataSource ds;

    @Test
    void rehashWhenPasswordChangedSinceTheOldHashWasReadThenTheNewPasswordIsKept() {
        UUID id = UUID.fromString(Browser.createUser(Browser.uniqueEmail("rehash-race"), "the-new-password-1"));
        String newPassword = stored(id);

        QuarkusTransaction.requiringNew().run(() -> users.replacePasswordHash(id, LegacyHash.HASH, hasher.hash("the-old-password-1")));

        assertThat(stored(id)).isEqualTo(newPassword);
        assertThat(hasher.verify("the-new-password-1", stored(id))).isTrue();
    }

    @Test
    void rehashWhenRowStillHoldsTheOldHashThenReplaced() {
        UUID id = UUID.fromString(Browser.createUser(Browser.uniqueEmail("rehash"), "replaced-below-1"));
        assertThat(Database.update(ds, "update app_user set password_hash = ? where id = ?", LegacyHash.HASH, id)).isEqualTo(1);
        String rehashed = hasher.hash(LegacyHash.PASSWORD);

        QuarkusTransaction.requiringNew().run(() -> users.replacePasswordHash(id, LegacyHash.HASH, rehashed));

        assertThat(stored(id)).isEqualTo(rehashed);
        assertThat(hasher.verify(LegacyHash.PASSWORD, stored(id))).isTrue();
    }

    private String stored(UUID id) {
        return (String) Database.rows(ds, "select password_hash from app_user where id = ?", id).get(0).get("password_hash");
    }
}
