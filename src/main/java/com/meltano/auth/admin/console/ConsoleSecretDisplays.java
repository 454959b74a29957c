package com.meltano.auth.admin.console;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.Sql;

/**
 * Which one-time secret cookies of the console have been shown (table {@code console_secret_shown},
 * owned here): the first page to show one records its nonce, any later one finds it taken. The
 * table holds nonces and expiries only, and forgets them once their cookies have expired.
 */
@ApplicationScoped
public class ConsoleSecretDisplays {

    @Inject
    Sql db;

    /** Whether this is the first showing of the cookie with this nonce (then it is the last). */
    @Transactional
    public boolean firstShowing(String nonce, Instant expiresAt) {
        db.query("delete from console_secret_shown where expires_at < now()").update();
        return db.query("insert into console_secret_shown (nonce, expires_at) values (?1, ?2) on conflict do nothing")
                .bind(1, nonce).bind(2, expiresAt).update() == 1;
    }
}
