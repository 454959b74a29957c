package com.meltano.auth.login;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ScopeArrays;
import com.meltano.auth.oauth2.authorize.AuthorizationRequest;

/** Login flows in PostgreSQL, so that any replica can continue a flow another started. */
@ApplicationScoped
public class LoginFlows {

    /** How long a person has to sign in before the flow is gone. */
    static final Duration LIFETIME = Duration.ofMinutes(15);

    /** A flow just created: the cookie value (never stored) and the flow. */
    public record Created(String cookieValue, LoginFlow flow) {
        @Override
        public String toString() {
            return "Created[flow]";
        }
    }

    @Inject
    EntityManager em;

    @Transactional
    public Created create(AuthorizationRequest request) {
        String cookie = OpaqueTokens.newToken();
        byte[] idHash = OpaqueTokens.hash(cookie);
        String csrf = OpaqueTokens.newToken();
        Instant expiresAt = Instant.now().plus(LIFETIME);
        em.createNativeQuery("insert into login_flow (id_hash, client_id, redirect_uri, scopes, state, nonce, code_challenge,"
                + " prompt, max_age, csrf, expires_at, login_hint) values (?1, ?2, ?3, cast(?4 as text[]), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
                .setParameter(1, idHash)
                .setParameter(2, request == null ? null : request.clientId())
                .setParameter(3, request == null ? null : request.redirectUri())
                .setParameter(4, request == null ? "{}" : ScopeArrays.literal(request.scopes()))
                .setParameter(5, request == null ? null : request.state())
                .setParameter(6, request == null ? null : request.nonce())
                .setParameter(7, request == null ? null : request.codeChallenge())
                .setParameter(8, request == null ? null : request.prompt())
                .setParameter(9, request == null ? null : request.maxAge())
                .setParameter(10, csrf)
                .setParameter(11, expiresAt)
                .setParameter(12, request == null ? null : request.loginHint())
                .executeUpdate();
        return new Created(cookie, new LoginFlow(idHash, request, csrf, expiresAt));
    }

    /** The flow of this cookie, or a new sign-in to the account page (then {@code newCookie} must be set). */
    public record Current(LoginFlow flow, String newCookie) {
        @Override
        public String toString() {
            return "Current[flow]";
        }
    }

    public Current findOrStart(String cookieValue) {
        Optional<LoginFlow> existing = find(cookieValue);
        if (existing.isPresent()) {
            return new Current(existing.get(), null);
        }
        Created created = create(null);
        return new Current(created.flow(), created.cookieValue());
    }

    @Transactional
    public Optional<LoginFlow> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Optional.empty();
        }
        byte[] idHash = OpaqueTokens.hash(cookieValue);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select client_id, redirect_uri, array_to_string(scopes, ' '), state, nonce,"
                + " code_challenge, prompt, max_age, csrf, expires_at, login_hint from login_flow where id_hash = ?1 and expires_at > now()")
                .setParameter(1, idHash).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        AuthorizationRequest request = r[0] == null ? null : new AuthorizationRequest((String) r[0], (String) r[1],
                ScopeArrays.fromJoined((String) r[2]), (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                r[7] == null ? null : ((Number) r[7]).intValue(), (String) r[10]);
        return Optional.of(new LoginFlow(idHash, request, (String) r[8], (Instant) r[9]));
    }

    /** The GitLab round trip this flow waits for; {@code linkUserId} is set when the account page links GitLab. */
    public record GitLabPending(UUID linkUserId) {
    }

    /** Records that the flow sent the browser to GitLab, for the signed-in {@code linkUserId} or to sign in (null). */
    @Transactional
    public void awaitGitLab(LoginFlow flow, UUID linkUserId) {
        em.createNativeQuery("update login_flow set gitlab_pending_at = now(), link_user_id = ?2 where id_hash = ?1")
                .setParameter(1, flow.idHash()).setParameter(2, linkUserId).executeUpdate();
    }

    /** Takes the flow's pending GitLab round trip, once: a replayed callback finds nothing. */
    @Transactional
    public Optional<GitLabPending> takeGitLabPending(LoginFlow flow) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("update login_flow set gitlab_pending_at = null where id_hash = ?1"
                + " and gitlab_pending_at is not null returning coalesce(cast(link_user_id as text), '')")
                .setParameter(1, flow.idHash()).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String linkUser = (String) rows.get(0);
        return Optional.of(new GitLabPending(linkUser.isEmpty() ? null : UUID.fromString(linkUser)));
    }

    /** A flow ends once it produced its answer (code, error, or the account page). */
    @Transactional
    public void finish(LoginFlow flow) {
        em.createNativeQuery("delete from login_flow where id_hash = ?1").setParameter(1, flow.idHash()).executeUpdate();
    }

}
