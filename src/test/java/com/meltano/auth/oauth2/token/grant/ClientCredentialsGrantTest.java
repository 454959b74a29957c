package com.meltano.auth.oauth2.token.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The client_credentials grant's every refusal (RFC 6749 section 4.4, SPEC section 4), one row
 * each: a public client never acts for itself, scopes about a person are never granted, and
 * {@code admin} only to a client registered for the admin API.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ClientCredentialsGrantTest {

    @Inject
    ClientCredentialsGrant handler;

    @Inject
    GrantFixtures fixtures;

    enum Kind {
        /** Registered for client_credentials only, without the admin API. */
        SERVICE,
        /** Registered for client_credentials and the admin API. */
        ADMIN_SERVICE,
        /** A public client (it could not even reach the handler through the endpoint). */
        PUBLIC
    }

    private RegisteredClient client(Kind kind) {
        return switch (kind) {
            case SERVICE -> fixtures.client(Map.of("grant_types", List.of("client_credentials"), "redirect_uris", List.of()));
            case ADMIN_SERVICE -> fixtures.client(Map.of("grant_types", List.of("client_credentials"), "redirect_uris", List.of(),
                    "admin_api", true));
            case PUBLIC -> fixtures.client(Map.of("token_endpoint_auth_method", "none",
                    "grant_types", List.of("authorization_code")));
        };
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Kind.PUBLIC, null, "unauthorized_client", "the client is not allowed the client_credentials grant"),
                Arguments.of(Kind.SERVICE, "open\"id", "invalid_scope", "scope contains a character RFC 6749 section 3.3 does not allow"),
                Arguments.of(Kind.SERVICE, "openid", "invalid_scope", "scope not allowed for this client with client_credentials: openid"),
                Arguments.of(Kind.ADMIN_SERVICE, "admin profile", "invalid_scope",
                        "scope not allowed for this client with client_credentials: profile"),
                Arguments.of(Kind.ADMIN_SERVICE, "offline_access", "invalid_scope",
                        "scope not allowed for this client with client_credentials: offline_access"),
                Arguments.of(Kind.SERVICE, "admin", "invalid_scope", "scope not allowed for this client with client_credentials: admin"));
    }

    @ParameterizedTest(name = "{0} scope={1} -> {2}")
    @MethodSource
    void refused(Kind kind, String scope, String code, String description) {
        Map<String, String> params = new HashMap<>(Map.of("grant_type", "client_credentials"));
        if (scope != null) {
            params.put("scope", scope);
        }

        OAuthError e = GrantFixtures.refusal(handler, client(kind), params);

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo(description);
        assertThat(e.status()).isEqualTo(400);
    }
}
