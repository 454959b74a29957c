package com.meltano.auth.oauth2.authorize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.Sql;

/**
 * Authorization codes (RFC 6749 section 4.1.2, RFC 9700 section 4.2.1): single-use, 60 s, bound to
 * the grant (and so the client), the redirect URI and the PKCE challenge; stored as hashes.
 * Redemption is one conditional UPDATE, so of concurrent redemptions exactly one wins, on any
 * replica; the others see a used code, which revokes what it issued.
 */
@ApplicationScoped
public class AuthorizationCodes implements ExpiringRows {

    public static final Duration LIFETIME = Duration.ofSeconds(60);

    /** A code row as redeemed. */
    public record Redeemed(UUID grantId, String redirectUri, String codeChallenge, String nonce, Instant expiresAt) {
    }

    /** What a code turned out to be. */
    public sealed interface Redemption {
        record Won(Redeemed code) implements Redemption {
        }

        /** The code was used before: a replay (or a lost race); its grant must be revoked. */
        record Replayed(UUID grantId) implements Redemption {
        }

        record Unknown() implements Redemption {
        }
    }

    @Inject
    Sql db;

    /** Issues a code; the caller's transaction also creates the grant. */
    public String issue(UUID grantId, String redirectUri, String codeChallenge, String nonce) {
        String code = OpaqueTokens.newToken();
        db.query("insert into authorization_code (code_hash, grant_id, redirect_uri, code_challenge, nonce, expires_at)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                .bind(1, OpaqueTokens.hash(code)).bind(2, grantId).bind(3, redirectUri)
                .bind(4, codeChallenge).bind(5, nonce).bind(6, Instant.now().plus(LIFETIME))
                .update();
        return code;
    }

    /** Marks the code used, atomically; the caller checks expiry, client, redirect URI and PKCE. */
    public Redemption redeem(String code) {
        byte[] hash = OpaqueTokens.hash(code);
        List<Object[]> won = db.query("update authorization_code set redeemed_at = now()"
                + " where code_hash = ?1 and redeemed_at is null"
                + " returning grant_id, redirect_uri, code_challenge, nonce, expires_at")
                .bind(1, hash).list();
        if (!won.isEmpty()) {
            Object[] r = won.get(0);
            return new Redemption.Won(new Redeemed((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (Instant) r[4]));
        }
        List<Object> used = db.query("select grant_id from authorization_code where code_hash = ?1")
                .bind(1, hash).list();
        return used.isEmpty() ? new Redemption.Unknown() : new Redemption.Replayed((UUID) used.get(0));
    }

    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from authorization_code where expires_at < ?1").bind(1, cutoff).update();
    }
}
