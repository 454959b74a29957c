package com.meltano.auth.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.keys.OwnTokens;
import com.meltano.auth.oauth2.authorize.AuthorizationResponses;
import com.meltano.auth.oauth2.client.ClientEntity;
import com.meltano.auth.oauth2.client.ClientRepository;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.pairwise.PairwiseSubjects;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;

/**
 * RP-Initiated Logout 1.0. A logout happens without asking only for an unexpired
 * {@code id_token_hint} of ours ({@link OwnTokens}: signature, issuer, and no grace after
 * {@code exp}, SPEC section 4) whose {@code sub}/{@code sid} match the current session (the
 * {@code sub} as the hint's client sees the session's user, public or pairwise); otherwise
 * the person confirms with a POST. An expired hint of ours proves nothing about the session, but
 * still names its client, as a {@code client_id} would: relying parties usually sign out long after
 * the ID token's short life. {@code client_id} only selects whose {@code post_logout_redirect_uris}
 * apply, and must equal the hint's {@code aud}. Ending a session revokes its grants except those
 * issued for {@code offline_access}.
 */
@ApplicationScoped
public class Logout {

    /** A parsed ID token hint of ours; {@code current}: not expired, so it may stand in for a confirmation. */
    public record Hint(String subject, String sid, String audience, boolean current) {
    }

    /** The checked logout request: whose URIs apply, where to go, and the hint if any. */
    public record Request(String clientId, String clientName, String redirectUri, String state, Hint hint) {
    }

    /** A logout request that must not be redirected anywhere: shown as a page. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    ClientRepository clients;

    @Inject
    Sessions sessions;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    OwnTokens ownTokens;

    @Inject
    GrantRepository grants;

    @Inject
    PairwiseSubjects subjects;

    @Transactional
    public Request check(String idTokenHint, String clientId, String postLogoutRedirectUri, String state) {
        Hint hint = null;
        if (idTokenHint != null) {
            hint = parse(idTokenHint).orElseThrow(() -> new Refused("The sign-out request carries an ID token that is not ours."));
            if (clientId != null && !clientId.equals(hint.audience())) {
                throw new Refused("The sign-out request names another application than its ID token.");
            }
        }
        String whose = clientId != null ? clientId : hint == null ? null : hint.audience();
        String redirect = null;
        ClientEntity client = whose == null ? null : clients.find(whose);
        if (postLogoutRedirectUri != null) {
            if (client == null || !client.postLogoutRedirectUris.contains(postLogoutRedirectUri)) {
                throw new Refused("The address to return to after signing out is not registered.");
            }
            redirect = postLogoutRedirectUri;
        }
        return new Request(whose, client == null ? null : client.name, redirect, state, hint);
    }

    /** Whether the hint proves the request comes from the session's own relying party. */
    public boolean matches(Request request, UserSession session) {
        return request.hint() != null && request.hint().current() && session != null
                && request.hint().subject().equals(subjects.subjectFor(request.hint().audience(), session.userId()))
                && session.sid().equals(request.hint().sid());
    }

    @Transactional
    public void end(UserSession session) {
        sessions.revoke(session);
        grants.revokeForSession(session.sid(), Instant.now());
        audit.fire(AuditEvent.of(session.userId().toString(), "session.ended", session.sid()));
    }

    /** Where the browser goes after signing out: the client's URI with {@code state}, or null for our page. */
    public String destination(Request request) {
        if (request.redirectUri() == null) {
            return null;
        }
        return request.state() == null ? request.redirectUri()
                : AuthorizationResponses.withParams(request.redirectUri(), Map.of("state", request.state()));
    }

    private Optional<Hint> parse(String token) {
        Optional<OwnTokens.Checked> checked = ownTokens.check(token, OwnTokens.Kind.ID_TOKEN);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        try {
            JwtClaims claims = checked.get().claims();
            List<String> aud = claims.getAudience();
            return Optional.of(new Hint(claims.getSubject(), claims.getStringClaimValue("sid"),
                    aud == null || aud.isEmpty() ? null : aud.get(0), !checked.get().expired()));
        } catch (MalformedClaimException e) {
            return Optional.empty();
        }
    }

}
