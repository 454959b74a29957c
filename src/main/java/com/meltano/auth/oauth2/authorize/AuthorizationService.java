package com.meltano.auth.oauth2.authorize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ScopeArrays;
import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.ClientCache;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantEntity;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.session.BrowserSubject;

/**
 * What happens to a valid authorization request once we know who (if anyone) is signed in:
 * sign-in needed, consent needed, or a code for the client. Free of HTTP types; the endpoints
 * turn the outcome into pages and redirects.
 */
@ApplicationScoped
public class AuthorizationService {

    public enum Need { LOGIN, CONSENT, NOTHING }

    @Inject
    Sql db;

    @Inject
    GrantRepository grants;

    @Inject
    AuthorizationCodes codes;

    @Inject
    ClientCache clients;

    @Inject
    AuthConfig config;

    @Inject
    Issuer issuer;

    @Inject
    Event<AuditEvent> audit;

    /**
     * OIDC Core 3.1.2.1: {@code prompt=login} and an exceeded {@code max_age} force a fresh sign-in;
     * {@code prompt=none} turns any interaction into an error for the client.
     */
    public Need need(AuthorizationRequest request, BrowserSubject subject) {
        if (!config.authentication()) {
            return Need.NOTHING; // SPEC section 6: the built-in admin, no login or consent page
        }
        boolean mustLogin = subject == null || request.promptLogin()
                || request.maxAge() != null && subject.authTime().plusSeconds(request.maxAge()).isBefore(Instant.now());
        if (mustLogin) {
            if (request.promptNone()) {
                throw AuthorizationError.redirect("login_required", "the user is not signed in", request.redirectUri(), request.state());
            }
            return Need.LOGIN;
        }
        return consentNeed(request, subject);
    }

    /** After a sign-in (never asks for it again, whatever the request's prompt said). */
    public Need consentNeed(AuthorizationRequest request, BrowserSubject subject) {
        if (!config.authentication()) {
            return Need.NOTHING;
        }
        if (consentRequired(request, subject.userId())) {
            if (request.promptNone()) {
                throw AuthorizationError.redirect("consent_required", "the user has not consented", request.redirectUri(), request.state());
            }
            return Need.CONSENT;
        }
        return Need.NOTHING;
    }

    /**
     * First-party clients skip consent; a remembered consent covers the same or fewer scopes. A client
     * deleted meanwhile is an answer for the flow, not a failed transaction.
     */
    @Transactional(dontRollbackOn = AuthorizationError.class)
    public boolean consentRequired(AuthorizationRequest request, UUID userId) {
        RegisteredClient client = client(request);
        if (client.firstParty()) {
            return false;
        }
        if (request.prompt() != null && request.prompt().contains("consent")) {
            return true;
        }
        List<String> remembered = db.query("select array_to_string(scopes, ' ') from consent where user_id = ?1 and client_id = ?2")
                .bind(1, userId).bind(2, request.clientId()).list();
        return remembered.isEmpty() || !Set.of(remembered.get(0).split(" ")).containsAll(request.scopes());
    }

    @Transactional
    public void rememberConsent(UUID userId, AuthorizationRequest request) {
        TreeSet<String> scopes = new TreeSet<>(request.scopes());
        List<String> remembered = db.query("select array_to_string(scopes, ' ') from consent where user_id = ?1 and client_id = ?2")
                .bind(1, userId).bind(2, request.clientId()).list();
        if (!remembered.isEmpty() && !remembered.get(0).isEmpty()) {
            scopes.addAll(List.of(remembered.get(0).split(" ")));
        }
        db.query("insert into consent (user_id, client_id, scopes) values (?1, ?2, cast(?3 as text[]))"
                + " on conflict (user_id, client_id) do update set scopes = excluded.scopes, created_at = now()")
                .bind(1, userId).bind(2, request.clientId()).bind(3, ScopeArrays.literal(scopes))
                .update();
        audit.fire(AuditEvent.of(userId.toString(), "consent.granted", request.clientId(), Map.of("scope", Scopes.join(scopes))));
    }

    /** A grant for this authorization and a code for it: the redirect to send the browser to. */
    @Transactional
    public String issueCode(AuthorizationRequest request, BrowserSubject subject) {
        if (config.auth().requireVerifiedEmail() && subject.sid() != null && !emailVerified(subject.userId())) {
            return UNVERIFIED_EMAIL_PAGE; // SPEC section 12: no tokens for an unverified account; the page says to check the mail
        }
        Instant now = Instant.now();
        GrantEntity grant = new GrantEntity();
        grant.id = UUID.randomUUID();
        grant.clientId = request.clientId();
        grant.userId = subject.userId();
        grant.subject = subject.userId().toString();
        grant.scopes = new ArrayList<>(request.scopes());
        grant.sessionId = subject.sid();
        grant.authTime = subject.authTime();
        grant.createdAt = now;
        grant.expiresAt = now.plus(config.auth().refreshTokenTtl());
        grant.offline = request.scopes().contains(Scopes.OFFLINE_ACCESS);
        grants.save(grant);
        String code = codes.issue(grant.id, request.redirectUri(), request.codeChallenge(), request.nonce());
        audit.fire(AuditEvent.of(subject.userId().toString(), "authorization.granted", grant.id.toString(),
                Map.of("client_id", request.clientId(), "scope", Scopes.join(request.scopes()))));
        return AuthorizationResponses.success(request.redirectUri(), code, request.state(), issuer.value());
    }

    /** Where a sign-in of an unverified account ends when verified emails are required (SPEC section 12). */
    public static final String UNVERIFIED_EMAIL_PAGE = "/verify-email";

    private boolean emailVerified(UUID userId) {
        return Boolean.TRUE.equals(db.query("select email_verified from app_user where id = ?1").bind(1, userId)
                .list().stream().findFirst().orElse(false));
    }

    public String errorRedirect(AuthorizationRequest request, String error, String description) {
        return AuthorizationResponses.error(request.redirectUri(), error, description, request.state(), issuer.value());
    }

    /** The application's registered name for pages (SPEC section 5: never its client_id); null when unknown. */
    public String clientName(AuthorizationRequest request) {
        return request == null ? null : clients.find(request.clientId()).map(RegisteredClient::name).orElse(null);
    }

    private RegisteredClient client(AuthorizationRequest request) {
        return clients.find(request.clientId()).orElseThrow(() -> AuthorizationError.page("The application is no longer registered."));
    }
}
