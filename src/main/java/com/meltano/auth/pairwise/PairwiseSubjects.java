package com.meltano.auth.pairwise;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.common.Sql;
import com.meltano.auth.keys.RandomKeys;
import com.meltano.auth.oauth2.client.ClientCache;
import com.meltano.auth.oauth2.client.RegisteredClient;

import io.quarkus.runtime.StartupEvent;

/**
 * The {@code sub} a client sees for a user (SPEC section 12, "Pairwise subjects"; OpenID Connect
 * Core section 8): the user id for a public client; for a pairwise client the unpadded base64url of
 * HMAC-SHA-256, under a random key kept wrapped under the key-encryption key ({@link RandomKeys}),
 * of its sector and the user id. The message is the sector's UTF-8 length as 4 bytes big-endian,
 * the sector, then the 16 bytes of the user id: no two (sector, user) pairs share a message, so
 * the same user and sector always give the same sub and different sectors unrelated ones, and
 * without the key no one can link them or recover the user id.
 *
 * <p>The way back ({@link #userOf}) is the {@code pairwise_subject} table, owned here: every
 * issuance of a pairwise sub records (sector, sub, user id) idempotently in the issuing
 * transaction. An HMAC cannot be inverted, and recomputing it for every user would scan them all
 * on each lookup; the only subs anyone can present are the ones issued, and those are recorded.
 * The rows go with the user at erasure ({@code on delete cascade}).
 */
@ApplicationScoped
public class PairwiseSubjects {

    static final String KEY_NAME = "pairwise-subject-hmac";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    RandomKeys keys;

    @Inject
    ClientCache clients;

    @Inject
    Sql db;

    private volatile RandomKeys.Hmac key;

    void onStart(@Observes @Priority(110) StartupEvent event) {
        key = keys.hmacKey(KEY_NAME);
    }

    /** A user's {@code sub} as the client sees it. */
    public String subjectFor(RegisteredClient client, UUID userId) {
        return client.pairwiseSector() == null ? userId.toString() : pairwise(client.pairwiseSector(), userId);
    }

    /**
     * A user's {@code sub} as the client named {@code clientId} sees it. A client that no longer
     * exists sees nothing: then the user id, which matches no pairwise sub a deleted client held.
     */
    public String subjectFor(String clientId, UUID userId) {
        return clientId == null ? userId.toString()
                : clients.find(clientId).map(c -> subjectFor(c, userId)).orElse(userId.toString());
    }

    /**
     * {@link #subjectFor(RegisteredClient, UUID)} for a token being issued: a pairwise sub is
     * recorded for {@link #userOf} first. Call inside the issuing transaction.
     */
    public String issue(RegisteredClient client, UUID userId) {
        String sub = subjectFor(client, userId);
        if (client.pairwiseSector() != null) {
            db.query("insert into pairwise_subject (sector, sub, user_id) values (?1, ?2, ?3)"
                    + " on conflict (sector, sub) do nothing")
                    .bind(1, client.pairwiseSector()).bind(2, sub).bind(3, userId).update();
        }
        return sub;
    }

    /**
     * The user behind {@code sub} as {@code client} sees it: for a pairwise client the recorded
     * user of that sub in its sector, for a public client the user with that id (if it parses).
     * The caller checks that a user with the returned id exists.
     */
    @Transactional
    public Optional<UUID> userOf(RegisteredClient client, String sub) {
        if (client.pairwiseSector() == null) {
            try {
                return Optional.of(UUID.fromString(sub));
            } catch (IllegalArgumentException notAUserId) {
                return Optional.empty();
            }
        }
        List<?> users = db.query("select user_id from pairwise_subject where sector = ?1 and sub = ?2")
                .bind(1, client.pairwiseSector()).bind(2, sub).list();
        return users.stream().findFirst().map(UUID.class::cast);
    }

    /**
     * The user behind {@code sub} as the client named {@code clientId} sees it (the admin API's
     * lookup for an erasure request that arrives from a warehouse).
     *
     * @throws ServiceException naming {@code client_id} when no such client exists
     */
    @Transactional
    public Optional<UUID> userOf(String clientId, String sub) {
        RegisteredClient client = clients.find(clientId)
                .orElseThrow(() -> ServiceException.invalid("client_id", "names no registered client"));
        return userOf(client, sub);
    }

    /** What the user's pairwise subs are, by sector (GDPR export: stored about the user, and no secret). */
    @Transactional
    public List<Exported> ofUser(UUID userId) {
        List<Object[]> rows = db.query("select sector, sub from pairwise_subject where user_id = ?1 order by sector")
                .bind(1, userId).list();
        return rows.stream().map(r -> new Exported((String) r[0], (String) r[1])).toList();
    }

    /** One pairwise sub of a user, as the export shows it. */
    public record Exported(String sector, String sub) {
    }

    private String pairwise(String sector, UUID userId) {
        byte[] s = sector.getBytes(StandardCharsets.UTF_8);
        byte[] message = ByteBuffer.allocate(4 + s.length + 16).putInt(s.length).put(s)
                .putLong(userId.getMostSignificantBits()).putLong(userId.getLeastSignificantBits()).array();
        return B64URL.encodeToString(key.mac(message));
    }
}
