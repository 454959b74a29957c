package com.meltano.auth.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;

/**
 * Sign-in identities at other providers linked to local accounts (SPEC section 5a), keyed by
 * (issuer, subject), never by email or username, which change at the provider. The only writer of
 * {@code federated_identity}: a way of signing in (GitLab) asks here to link, touch and unlink, and
 * the account's views and export read here, so {@code account} never depends on the provider.
 */
@ApplicationScoped
public class LinkedIdentities {

    /** Label of the provider in views and the export; today every linked identity is GitLab's. */
    static final String PROVIDER = "gitlab";

    /** Who the provider says signed in: email and username are informative only. */
    public record ProviderIdentity(String issuer, String subject, String email, String username) {
        @Override
        public String toString() {
            return "ProviderIdentity[" + issuer + " " + subject + "]";
        }
    }

    /** A linked identity as the GDPR export shows it (article 15): what the provider said last, and when. */
    public record Exported(String provider, String issuer, String subject, String username, String email, Instant linkedAt,
            Instant lastLoginAt) {
    }

    @Inject
    Sql db;

    public Optional<UUID> userOf(String issuer, String subject) {
        List<UUID> rows = db.query("select user_id from federated_identity where issuer = ?1 and subject = ?2")
                .bind(1, issuer).bind(2, subject).list();
        return rows.stream().findFirst();
    }

    /** Links the identity; false when it already belongs to an account (then nothing changes). */
    public boolean link(UUID userId, ProviderIdentity identity) {
        return db.query("insert into federated_identity (issuer, subject, user_id, email, username)"
                + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .bind(1, identity.issuer()).bind(2, identity.subject()).bind(3, userId)
                .bind(4, identity.email()).bind(5, identity.username()).update() == 1;
    }

    /** What the provider said at this sign-in (email and username may have changed there). */
    public void touch(ProviderIdentity identity) {
        db.query("update federated_identity set email = ?3, username = ?4, last_login_at = now()"
                + " where issuer = ?1 and subject = ?2")
                .bind(1, identity.issuer()).bind(2, identity.subject())
                .bind(3, identity.email()).bind(4, identity.username()).update();
    }

    public int unlinkAll(UUID userId) {
        return db.query("delete from federated_identity where user_id = ?1").bind(1, userId).update();
    }

    public boolean hasAny(UUID userId) {
        return ((Number) db.query("select count(*) from federated_identity where user_id = ?1")
                .bind(1, userId).single()).longValue() > 0;
    }

    /** The user's linked identities, oldest first. */
    public List<LinkedIdentity> of(UUID userId) {
        List<Object[]> rows = db.query("select issuer, subject, username from federated_identity where user_id = ?1"
                + " order by created_at").bind(1, userId).list();
        return rows.stream().map(r -> new LinkedIdentity(PROVIDER, (String) r[0], (String) r[1], (String) r[2])).toList();
    }

    /** Everything stored about the user's linked identities, oldest first. */
    public List<Exported> export(UUID userId) {
        List<Object[]> rows = db.query("select issuer, subject, coalesce(username, ''), coalesce(email, ''), created_at,"
                + " last_login_at from federated_identity where user_id = ?1 order by created_at").bind(1, userId)
                .list();
        return rows.stream().map(r -> new Exported(PROVIDER, (String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (Instant) r[4], (Instant) r[5])).toList();
    }
}
