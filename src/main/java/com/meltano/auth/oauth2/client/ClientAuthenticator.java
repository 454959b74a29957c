package com.meltano.auth.oauth2.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.keys.SecretHashKey;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

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
        boolean correct = secretHash.matches(secret, client.secretHash());
        if (correct && !client.throttleRecords()) {
            return requireEnabled(client); // the hot path: no failure can exist for this client (see settle)
        }
        settle(client, address, correct);
        if (!correct) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return requireEnabled(client);
    }

    /**
     * Applies the throttle to a secret already checked. The HMAC is a pure function whose result
     * only the response reveals, so the decision (401 or 429) and the record are one transaction
     * on the locked (client, address) row: parallel wrong secrets are counted exactly as sequential
     * ones, on any replica, and no more than {@code FREE_FAILURES + 1} of them are answered 401.
     *
     * <p>Why a correct secret may skip the database while the snapshot says "no throttle records":
     * a row is only ever created by a failure, and the failure that creates one sends, in the same
     * transaction, the cache notification that evicts the client on every replica. This replica
     * evicts its own copy after the commit and before answering; {@link ClientCache#find} cannot
     * put back a snapshot read before that commit (the generation is checked under the map's lock
     * for the key). The other replicas' listeners are sent the notification by PostgreSQL at that
     * commit, and we answer only once our own listener has received it (bounded wait), so by the
     * time the first failure is answered every replica has (or is being handed) the eviction; a
     * block needs {@code FREE_FAILURES} more failures, each answered after its own commit. If a
     * listener loses its connection, that replica bypasses its cache until it is back. A stale
     * "has records" is only slower, never weaker: a success that leaves no row for the client
     * evicts it everywhere so the next load finds the fast path again.
     */
    private void settle(RegisteredClient client, String address, boolean correct) {
        String clientId = client.clientId();
        ClientCache.Echo[] echo = new ClientCache.Echo[1];
        Throttle.Decision decision;
        try {
            decision = QuarkusTransaction.requiringNew().call(() -> {
                Throttle.Decision d = throttle.decide(Throttle.Kind.CLIENT, clientId, address, correct);
                if (d.firstRecord() || d.subjectClear() && client.throttleRecords()) {
                    echo[0] = clients.expectEcho(clientId);
                    clients.notifyOnCommit(clientId);
                }
                return d;
            });
        } catch (Throttle.Throttled t) {
            throw OAuthError.throttled(t.retryAfterSeconds());
        }
        if (echo[0] != null) {
            clients.evictLocally(clientId);
            if (decision.firstRecord()) {
                echo[0].await();
            }
        }
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
