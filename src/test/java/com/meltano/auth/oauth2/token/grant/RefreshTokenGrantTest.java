package com.meltano.auth.oauth2.token.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.token.TokenRequest;
import com.meltano.auth.oauth2.token.TokenResponse;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The refresh grant's every refusal (RFC 6749 section 6, RFC 9700 section 4.14.2, SPEC section 4),
 * one row each, against real refresh tokens and grants; a refusal before the token is used up
 * leaves it working.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RefreshTokenGrantTest {

    private static final Set<String> SCOPES = Set.of("openid", "email");

    @Inject
    RefreshTokenGrant handler;

    @Inject
    GrantFixtures fixtures;

    record Attempt(RegisteredClient client, UUID grant, Map<String, String> params) {
        Attempt with(String name, String value) {
            Map<String, String> p = new HashMap<>(params);
            if (value == null) {
                p.remove(name);
            } else {
                p.put(name, value);
            }
            return new Attempt(client, grant, p);
        }
    }

    @FunctionalInterface
    interface Scenario {
        Attempt prepare(GrantFixtures f);
    }

    private static Attempt valid(GrantFixtures f) {
        RegisteredClient client = f.webClient();
        UUID grant = f.grant(client, f.user(), SCOPES);
        return new Attempt(client, grant, Map.of("grant_type", "refresh_token", "refresh_token", f.refreshToken(grant, SCOPES)));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no refresh_token", (Scenario) f -> valid(f).with("refresh_token", null),
                        "invalid_request", "missing parameter: refresh_token"),
                Arguments.of("scope with a forbidden character", (Scenario) f -> valid(f).with("scope", "open\\id"),
                        "invalid_scope", "scope contains a character RFC 6749 section 3.3 does not allow"),
                Arguments.of("unknown token", (Scenario) f -> valid(f).with("refresh_token", "not-a-token"),
                        "invalid_grant", "unknown refresh token"),
                Arguments.of("token of another client", (Scenario) f -> {
                    Attempt a = valid(f);
                    return new Attempt(f.webClient(), a.grant(), a.params());
                }, "invalid_grant", "the refresh token was issued to another client"),
                Arguments.of("token past its idle lifetime", (Scenario) f -> {
                    Attempt a = valid(f);
                    f.sql("update refresh_token set idle_expires_at = now() - interval '1 second' where token_hash = ?1",
                            OpaqueTokens.hash(a.params().get("refresh_token")));
                    return a;
                }, "invalid_grant", "the refresh token has expired"),
                Arguments.of("grant revoked", (Scenario) f -> {
                    Attempt a = valid(f);
                    f.revoke(a.grant());
                    return a;
                }, "invalid_grant", "the grant is no longer valid"),
                Arguments.of("scope widened", (Scenario) f -> valid(f).with("scope", "openid profile"),
                        "invalid_scope", "a refresh may narrow the scope, never widen it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String row, Scenario scenario, String code, String description) {
        Attempt a = scenario.prepare(fixtures);

        OAuthError e = GrantFixtures.refusal(handler, a.client(), a.params());

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo(description);
    }

    @Test
    void refreshWhenScopeWidenedThenRefusedAndTheTokenStillWorks() {
        Attempt a = valid(fixtures);
        GrantFixtures.refusal(handler, a.client(), a.with("scope", "openid admin").params());

        TokenResponse tokens = handle(a.with("scope", "email unknown"));

        assertThat(tokens.scope()).isEqualTo("email");
        assertThat(tokens.refreshToken()).isNotBlank().isNotEqualTo(a.params().get("refresh_token"));
    }

    @Test
    void refreshWhenTokenReusedThenWholeGrantRevoked() {
        Attempt a = valid(fixtures);
        TokenResponse first = handle(a);

        OAuthError replay = GrantFixtures.refusal(handler, a.client(), a.params());

        assertThat(replay.code()).isEqualTo("invalid_grant");
        assertThat(replay.description()).isEqualTo("the refresh token was already used; the grant is revoked");
        assertThat(fixtures.revoked(a.grant())).isTrue();
        OAuthError successor = GrantFixtures.refusal(handler, a.client(), a.with("refresh_token", first.refreshToken()).params());
        assertThat(successor.description()).isEqualTo("the grant is no longer valid");
    }

    private TokenResponse handle(Attempt a) {
        return handler.handle(a.client(), new TokenRequest(a.params(), null, "127.0.0.1"));
    }
}
