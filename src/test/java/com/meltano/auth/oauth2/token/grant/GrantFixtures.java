package com.meltano.auth.oauth2.token.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import static org.assertj.core.api.Assertions.assertThat;

import com.meltano.auth.common.Sql;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.authorize.AuthorizationCodes;
import com.meltano.auth.oauth2.client.ClientCache;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.grant.GrantEntity;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.token.GrantHandler;
import com.meltano.auth.oauth2.token.RefreshTokens;
import com.meltano.auth.oauth2.token.TokenRequest;
import com.meltano.auth.support.Api;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

/**
 * Real rows for the grant handlers' tests: users and clients through the admin API, grants, codes
 * and refresh tokens through their owners, so that each handler runs against the real database.
 */
@Singleton
public class GrantFixtures {

    static final String REDIRECT = "http://127.0.0.1:9999/cb";
    static final String OTHER_REDIRECT = "http://127.0.0.1:9999/other";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ClientCache clients;

    @Inject
    GrantRepository grants;

    @Inject
    AuthorizationCodes codes;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    Sql db;

    /** An enabled user; returns its id. */
    UUID user() {
        Response r = Api.admin().body(Map.of("email", "grant-" + UUID.randomUUID() + "@example.com",
                "password", "correct-horse-battery-staple")).post("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return UUID.fromString(r.path("id"));
    }

    void disable(UUID user) {
        Api.admin().body(Map.of("enabled", false)).patch("/admin/api/users/" + user).then().statusCode(200);
    }

    /** A client registered with these fields (and a name and id), as the token endpoint sees it. */
    RegisteredClient client(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.putIfAbsent("name", "grant handler test");
        body.putIfAbsent("client_id", "grant-" + UUID.randomUUID());
        body.putIfAbsent("redirect_uris", List.of(REDIRECT, OTHER_REDIRECT));
        Response r = Api.admin().body(body).post("/admin/api/clients");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return clients.find(r.path("client_id")).orElseThrow();
    }

    /** A confidential client with the code and refresh grants and the user scopes. */
    RegisteredClient webClient() {
        return client(Map.of("token_endpoint_auth_method", "client_secret_basic",
                "grant_types", List.of("authorization_code", "refresh_token")));
    }

    /** A user's grant to the client for {@code scopes}, valid for a day. */
    UUID grant(RegisteredClient client, UUID user, Set<String> scopes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            GrantEntity g = new GrantEntity();
            g.id = UUID.randomUUID();
            g.clientId = client.clientId();
            g.userId = user;
            g.subject = user.toString();
            g.scopes = List.copyOf(scopes);
            g.authTime = Instant.now();
            g.createdAt = Instant.now();
            g.expiresAt = g.createdAt.plus(Duration.ofDays(1));
            grants.save(g);
            return g.id;
        });
    }

    String code(UUID grant, String redirectUri, String challenge) {
        return QuarkusTransaction.requiringNew().call(() -> codes.issue(grant, redirectUri, challenge, "nonce-1"));
    }

    String refreshToken(UUID grant, Set<String> scopes) {
        return QuarkusTransaction.requiringNew().call(() -> refreshTokens.issue(grant, scopes, Instant.now().plus(Duration.ofDays(1))));
    }

    void revoke(UUID grant) {
        QuarkusTransaction.requiringNew().run(() -> grants.revoke(grant, Instant.now()));
    }

    boolean revoked(UUID grant) {
        return QuarkusTransaction.requiringNew().call(() -> grants.findById(grant).revokedAt != null);
    }

    /** Runs one statement in its own transaction (to age a row). */
    void sql(String statement, Object... params) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = db.query(statement);
            for (int i = 0; i < params.length; i++) {
                q.bind(i + 1, params[i]);
            }
            q.update();
        });
    }

    /** The handler's refusal of this request; fails the test when it issues tokens instead. */
    static OAuthError refusal(GrantHandler handler, RegisteredClient client, Map<String, String> params) {
        try {
            handler.handle(client, new TokenRequest(params, null, "127.0.0.1"));
        } catch (OAuthError e) {
            return e;
        }
        throw new AssertionError("tokens were issued for " + params.keySet());
    }

    record Pkce(String verifier, String challenge) {
        static Pkce fresh() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
