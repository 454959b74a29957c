package com.meltano.auth.oauth2.authorize;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.ProtocolParameters;
import com.meltano.auth.oauth2.ScopePolicy;
import com.meltano.auth.oauth2.client.ClientCache;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;

/**
 * The checks of an authorization request, in the order that decides where an error may go:
 * first the client and the redirect URI (failures there are shown as a page, never redirected),
 * then everything else (failures redirect to the verified URI with {@code state}).
 */
@ApplicationScoped
public class AuthorizationRequestValidator {

    private static final Set<String> PROMPTS = Set.of("none", "login", "consent");

    @Inject
    ClientCache clients;

    public AuthorizationRequest validate(Map<String, List<String>> params) {
        String clientId = trusted(params, "client_id");
        if (clientId == null) {
            throw AuthorizationError.page("The request does not name a client (client_id is missing).");
        }
        RegisteredClient client = clients.find(clientId)
                .orElseThrow(() -> AuthorizationError.page("The application that sent you here is not registered."));
        if (!client.enabled()) {
            throw AuthorizationError.page("The application that sent you here is disabled; an administrator can enable it again.");
        }
        String requested = trusted(params, "redirect_uri");
        if (requested == null) {
            throw AuthorizationError.page("The request does not say where to return (redirect_uri is missing).");
        }
        String redirectUri = RedirectUriMatcher.match(client.redirectUris(), requested)
                .orElseThrow(() -> AuthorizationError.page("The return address is not registered for this application."));

        // From here on the redirect URI is the client's own: errors go back to it.
        String state = first(params, "state");
        Fail fail = (code, description) -> AuthorizationError.redirect(code, description, redirectUri, state);
        String repeated = ProtocolParameters.repeated(params);
        if (repeated != null) {
            throw fail.with("invalid_request", "parameter repeated: " + repeated);
        }
        String responseMode = first(params, "response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            // discovery lists query alone: a code the client wanted out of the URL must not land in it
            throw fail.with("invalid_request", "only response_mode=query is supported");
        }
        if (first(params, "request") != null) {
            throw fail.with("request_not_supported", "request objects are not supported");
        }
        if (first(params, "request_uri") != null) {
            throw fail.with("request_uri_not_supported", "request_uri is not supported");
        }
        String responseType = first(params, "response_type");
        if (responseType == null) {
            throw fail.with("invalid_request", "response_type is required");
        }
        if (!"code".equals(responseType)) {
            throw fail.with("unsupported_response_type", "only response_type=code is supported");
        }
        if (!client.grantTypes().contains(GrantTypes.AUTHORIZATION_CODE)) {
            throw fail.with("unauthorized_client", "the client may not use the authorization code flow");
        }
        Set<String> scopes = scopes(client, first(params, "scope"), fail);
        String challenge = first(params, "code_challenge");
        String method = first(params, "code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw fail.with("invalid_request", "code_challenge_method without code_challenge");
            }
            if (client.isPublic()) {
                throw fail.with("invalid_request", "PKCE is required for public clients (code_challenge with S256)");
            }
        } else {
            if (!"S256".equals(method)) {
                throw fail.with("invalid_request", "code_challenge_method must be S256");
            }
            if (!Pkce.isValidChallenge(challenge)) {
                throw fail.with("invalid_request", "code_challenge must be 43 base64url characters");
            }
        }
        String prompt = first(params, "prompt");
        if (prompt != null) {
            Set<String> values = Set.of(prompt.trim().split(" +"));
            if (!PROMPTS.containsAll(values) || values.contains("none") && values.size() > 1) {
                throw fail.with("invalid_request", "prompt must be none, login or consent");
            }
        }
        Integer maxAge = null;
        String rawMaxAge = first(params, "max_age");
        if (rawMaxAge != null) {
            try {
                maxAge = Integer.parseInt(rawMaxAge);
            } catch (NumberFormatException e) {
                throw fail.with("invalid_request", "max_age must be a whole number of seconds");
            }
            if (maxAge < 0) {
                throw fail.with("invalid_request", "max_age must not be negative");
            }
        }
        String loginHint = first(params, "login_hint");
        if (loginHint != null && loginHint.length() > 254) {
            loginHint = null; // a hint only; an email is never longer
        }
        return new AuthorizationRequest(client.clientId(), redirectUri, scopes, state, first(params, "nonce"),
                challenge, prompt, maxAge, loginHint);
    }

    /** SPEC section 4, by {@link ScopePolicy}; its invalid_scope goes back to the client's redirect URI. */
    private static Set<String> scopes(RegisteredClient client, String requested, Fail fail) {
        try {
            return ScopePolicy.forAuthorization(client.scopes(), ScopePolicy.requested(requested));
        } catch (OAuthError e) {
            throw fail.with(e.code(), e.description());
        }
    }

    /** A parameter that decides whether errors may be redirected: repeated means untrusted. */
    private static String trusted(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values != null && values.size() > 1) {
            throw AuthorizationError.page("The request repeats " + name + ".");
        }
        return first(params, name);
    }

    /** RFC 6749 section 3.1: a parameter without a value counts as absent. */
    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    @FunctionalInterface
    private interface Fail {
        AuthorizationError with(String code, String description);
    }
}
