package com.meltano.auth.oauth2.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.keys.SecretHashKey;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.throttle.Throttle;

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3): {@code client_secret_basic}
 * (credentials form-URL-decoded after base64, section 2.3.1), {@code client_secret_post}, or
 * {@code none} for public clients. A confidential client may use either secret method; using two
 * methods in one request is refused. Failures are throttled per (client, address).
 */
@ApplicationScoped
public class ClientAuthenticator {

    @Inject
    ClientCache clients;

    @Inject
    SecretHashKey secretHash;

    @Inject
    Throttle throttle;

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param formClientId the {@code client_id} form parameter, or null
     * @param formSecret the {@code client_secret} form parameter, or null
     * @param address the caller's address, for throttling
     */
    public RegisteredClient authenticate(String authorization, String formClientId, String formSecret, String address) {
        String clientId;
        String secret;
        if (authorization != null) {
            if (formSecret != null) {
                throw OAuthError.invalidRequest("use one client authentication method, not both");
            }
            String[] basic = parseBasic(authorization);
            clientId = basic[0];
            secret = basic[1];
            if (formClientId != null && !formClientId.equals(clientId)) {
                throw OAuthError.invalidRequest("client_id does not match the Authorization header");
            }
        } else {
            clientId = formClientId;
            secret = formSecret;
        }
        if (clientId == null || clientId.isEmpty()) {
            throw OAuthError.invalidClient("client authentication required");
        }
        RegisteredClient client = clients.find(clientId).orElseThrow(() -> OAuthError.invalidClient("client authentication failed"));
        if (client.isPublic()) {
            if (secret != null) {
                throw OAuthError.invalidClient("client authentication failed");
            }
            return requireEnabled(client);
        }
        if (secret == null) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        Throttle.Check check = client.throttleRecords()
                ? throttle.check(Throttle.Kind.CLIENT, clientId, address)
                : Throttle.Check.CLEAR;
        if (check.delay().isPresent()) {
            throw OAuthError.throttled(check.retryAfterSeconds());
        }
        if (!secretHash.matches(secret, client.secretHash())) {
            throttle.recordFailure(Throttle.Kind.CLIENT, clientId, address);
            if (!client.throttleRecords()) {
                clients.evictEverywhere(clientId); // the next attempt, on any replica, must read the throttle
            }
            throw OAuthError.invalidClient("client authentication failed");
        }
        if (check.hasRecord()) {
            throttle.clear(Throttle.Kind.CLIENT, clientId, address);
        }
        return requireEnabled(client);
    }

    private static RegisteredClient requireEnabled(RegisteredClient client) {
        if (!client.enabled()) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client;
    }

    /** {@code Basic base64(urlencode(id) ":" urlencode(secret))}; anything else is invalid_client. */
    static String[] parseBasic(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw OAuthError.invalidClient("unsupported authorization scheme");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthError.invalidClient("malformed Basic credentials");
        }
        try {
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("malformed Basic credentials");
        }
    }
}
