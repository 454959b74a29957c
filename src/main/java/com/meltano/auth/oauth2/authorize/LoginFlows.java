package com.meltano.auth.oauth2.authorize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ExpiringRows;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ScopeArrays;
import com.meltano.auth.common.Sql;

/**
 * Login flows in PostgreSQL (the only writer of {@code login_flow}), so that any replica can continue
 * a flow another started. A flow is found by its id or by its form token, always together with the
 * browser's flow cookie ({@code binding}): a flow is never continued by another browser, and a form
 * posted from another site (no cookie) finds nothing. States move only through
 * {@link FlowState.Transition}s, each one guarded update.
 */
@ApplicationScoped
public class LoginFlows implements ExpiringRows {

    /** How long a person has to sign in before the flow is abandoned. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    private static final String COLUMNS = "id_hash, public_id, flow_state, client_id, redirect_uri, array_to_string(scopes, ' '),"
            + " state, nonce, code_challenge, prompt, max_age, login_hint, csrf, expires_at, user_id, typed_email, return_to";

    @Inject
    Sql db;

    /** A new flow for {@code request} (null: a sign-in to the account page), bound to the browser. */
    @Transactional
    public LoginFlow create(AuthorizationRequest request, String binding, FlowState state, UUID userId) {
        String id = OpaqueTokens.newToken();
        byte[] idHash = OpaqueTokens.hash(id);
        String csrf = OpaqueTokens.newToken();
        Instant expiresAt = Instant.now().plus(LIFETIME);
        db.query("insert into login_flow (id_hash, public_id, browser_hash, flow_state, user_id, client_id, redirect_uri,"
                + " scopes, state, nonce, code_challenge, prompt, max_age, csrf, expires_at, login_hint)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as text[]), ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
                .bind(1, idHash)
                .bind(2, id)
                .bind(3, OpaqueTokens.hash(binding))
                .bind(4, state.column())
                .bind(5, userId)
                .bind(6, request == null ? null : request.clientId())
                .bind(7, request == null ? null : request.redirectUri())
                .bind(8, request == null ? "{}" : ScopeArrays.literal(request.scopes()))
                .bind(9, request == null ? null : request.state())
                .bind(10, request == null ? null : request.nonce())
                .bind(11, request == null ? null : request.codeChallenge())
                .bind(12, request == null ? null : request.prompt())
                .bind(13, request == null ? null : request.maxAge())
                .bind(14, csrf)
                .bind(15, expiresAt)
                .bind(16, request == null ? null : request.loginHint())
                .update();
        return new LoginFlow(idHash, id, state, request, csrf, expiresAt, userId, null, null);
    }

    /**
     * A new sign-in of no application that returns to {@code consolePath}, a path of the admin
     * console (SPEC section 11) chosen by the server, never taken from a request as is.
     */
    @Transactional
    public LoginFlow createReturningTo(String consolePath, String binding) {
        if (consolePath == null || !consolePath.startsWith("/admin")) {
            throw new IllegalArgumentException("a sign-in returns only to a console page");
        }
        LoginFlow flow = create(null, binding, FlowState.AWAITING_LOGIN, null);
        db.query("update login_flow set return_to = ?2 where id_hash = ?1")
                .bind(1, flow.idHash()).bind(2, consolePath).update();
        return new LoginFlow(flow.idHash(), flow.id(), flow.state(), null, flow.csrf(), flow.expiresAt(), null, null, consolePath);
    }

    /** The flow a page's URL names, if this browser started it. */
    @Transactional
    public Optional<LoginFlow> find(String id, String binding) {
        if (blank(id) || blank(binding)) {
            return Optional.empty();
        }
        return one("id_hash = ?1 and browser_hash = ?2", OpaqueTokens.hash(id), OpaqueTokens.hash(binding));
    }

    /** The flow whose form was posted (its form token), if this browser started it. */
    @Transactional
    public Optional<LoginFlow> byFormToken(String csrf, String binding) {
        if (blank(csrf) || blank(binding)) {
            return Optional.empty();
        }
        return one("browser_hash = ?2 and csrf = ?1", csrf, OpaqueTokens.hash(binding));
    }

    /**
     * The newest flow of this browser that waits in {@code state} for an application: where a bare
     * {@code /login} or {@code /consent} (typed, or from an old bookmark) picks up.
     */
    @Transactional
    public Optional<LoginFlow> latestOpen(String binding, FlowState state) {
        if (blank(binding)) {
            return Optional.empty();
        }
        return one("browser_hash = ?2 and flow_state = ?1 and client_id is not null and expires_at > now()"
                + " order by created_at desc limit 1", state.column(), OpaqueTokens.hash(binding));
    }

    /** Keeps what the person typed, so a failed sign-in or registration shows it again (SPEC section 5). */
    @Transactional
    public void rememberEmail(LoginFlow flow, String email) {
        String kept = email == null ? null : email.length() > 320 ? email.substring(0, 320) : email;
        db.query("update login_flow set typed_email = ?2 where id_hash = ?1")
                .bind(1, flow.idHash()).bind(2, kept).update();
    }

    /**
     * Moves the flow, if it is still in one of the transition's {@code from} states and (but for
     * {@code EXPIRED}) has not expired: one guarded update, so of two tabs posting the same flow at
     * once exactly one moves it. {@code userId} records who authenticated (null keeps the recorded one).
     *
     * @return whether the flow moved
     */
    @Transactional
    public boolean move(LoginFlow flow, FlowState.Transition transition, UUID userId) {
        String clock = transition == FlowState.Transition.EXPIRED ? "expires_at <= now()" : "expires_at > now()";
        return db.query("update login_flow set flow_state = ?2, user_id = coalesce(?3, user_id),"
                + " finished_at = case when ?4 then now() end"
                + " where id_hash = ?1 and flow_state = any(cast(?5 as text[])) and " + clock)
                .bind(1, flow.idHash())
                .bind(2, transition.to().column())
                .bind(3, userId)
                .bind(4, !transition.to().open())
                .bind(5, transition.fromColumns())
                .update() == 1;
    }

    /** The GitLab round trip a flow waits for; {@code linkUserId} is set when the account page links GitLab. */
    public record GitLabPending(LoginFlow flow, UUID linkUserId) {
    }

    /** Records that the flow sent the browser to GitLab, for the signed-in {@code linkUserId} or to sign in (null). */
    @Transactional
    public void awaitGitLab(LoginFlow flow, UUID linkUserId) {
        db.query("update login_flow set gitlab_pending_at = now(), link_user_id = ?2 where id_hash = ?1")
                .bind(1, flow.idHash()).bind(2, linkUserId).update();
    }

    /**
     * Takes this browser's pending GitLab round trip (the newest, as GitLab answers one round trip per
     * browser at a time), once: a replayed callback finds nothing.
     */
    @Transactional
    public Optional<GitLabPending> takeGitLabPending(String binding) {
        if (blank(binding)) {
            return Optional.empty();
        }
        List<Object> rows = db.query("update login_flow set gitlab_pending_at = null where id_hash = (select id_hash"
                + " from login_flow where browser_hash = ?1 and gitlab_pending_at is not null order by gitlab_pending_at desc limit 1)"
                + " and gitlab_pending_at is not null returning public_id || ' ' || coalesce(cast(link_user_id as text), '')")
                .bind(1, OpaqueTokens.hash(binding)).list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String[] taken = ((String) rows.get(0)).split(" ", -1);
        return find(taken[0], binding).map(f -> new GitLabPending(f, taken[1].isEmpty() ? null : UUID.fromString(taken[1])));
    }

    private Optional<LoginFlow> one(String where, Object first, Object second) {
        List<Object[]> rows = db.query("select " + COLUMNS + " from login_flow where " + where)
                .bind(1, first).bind(2, second).list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        LoginFlow flow = flow(rows.get(0));
        if (flow.state().open() && !flow.expiresAt().isAfter(Instant.now())) {
            move(flow, FlowState.Transition.EXPIRED, null);
            flow = new LoginFlow(flow.idHash(), flow.id(), FlowState.ABANDONED, flow.request(), flow.csrf(), flow.expiresAt(),
                    flow.userId(), flow.typedEmail(), flow.returnTo());
        }
        return Optional.of(flow);
    }

    private static LoginFlow flow(Object[] r) {
        AuthorizationRequest request = r[3] == null ? null : new AuthorizationRequest((String) r[3], (String) r[4],
                ScopeArrays.fromJoined((String) r[5]), (String) r[6], (String) r[7], (String) r[8], (String) r[9],
                r[10] == null ? null : ((Number) r[10]).intValue(), (String) r[11]);
        return new LoginFlow((byte[]) r[0], (String) r[1], FlowState.ofColumn((String) r[2]), request, (String) r[12],
                (Instant) r[13], (UUID) r[14], (String) r[15], (String) r[16]);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** Finished and expired flows stay until the cutoff, so a late form still finds its application. */
    @Override
    @Transactional
    public int deleteExpired(Instant cutoff) {
        return db.query("delete from login_flow where expires_at < ?1").bind(1, cutoff).update();
    }
}
