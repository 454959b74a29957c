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
import com.meltano.auth.oauth2.token.grant.GrantFixtures.Pkce;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The code grant's every refusal (RFC 6749 section 4.1.3, RFC 7636 section 4.6, SPEC section 4),
 * one row each, against real codes and grants: the handler called directly, after the endpoint
 * would have authenticated the client.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AuthorizationCodeGrantTest {

    @Inject
    AuthorizationCodeGrant handler;

    @Inject
    GrantFixtures fixtures;

    /** One code redemption set up for a row: who redeems it, with which parameters. */
    record Attempt(RegisteredClient client, Map<String, String> params) {
    }

    @FunctionalInterface
    interface Scenario {
        Attempt prepare(GrantFixtures f);
    }

    /** A code for a fresh user and client, with PKCE, and the request that would redeem it. */
    private static Attempt valid(GrantFixtures f, Pkce pkce) {
        RegisteredClient client = f.webClient();
        UUID grant = f.grant(client, f.user(), Set.of("openid"));
        String code = f.code(grant, GrantFixtures.REDIRECT, pkce == null ? null : pkce.challenge());
        Map<String, String> p = new HashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", GrantFixtures.REDIRECT));
        if (pkce != null) {
            p.put("code_verifier", pkce.verifier());
        }
        return new Attempt(client, p);
    }

    private static Attempt with(Attempt a, String name, String value) {
        Map<String, String> p = new HashMap<>(a.params());
        if (value == null) {
            p.remove(name);
        } else {
            p.put(name, value);
        }
        return new Attempt(a.client(), p);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no code", (Scenario) f -> with(valid(f, Pkce.fresh()), "code", null),
                        "invalid_request", "missing parameter: code"),
                Arguments.of("unknown code", (Scenario) f -> with(valid(f, Pkce.fresh()), "code", "not-a-code"),
                        "invalid_grant", "unknown authorization code"),
                Arguments.of("code of another client", (Scenario) f -> new Attempt(f.webClient(), valid(f, Pkce.fresh()).params()),
                        "invalid_grant", "the authorization code was issued to another client"),
                Arguments.of("expired code", (Scenario) f -> {
                    Attempt a = valid(f, Pkce.fresh());
                    f.sql("update authorization_code set expires_at = now() - interval '1 second' where code_hash = ?1",
                            OpaqueTokens.hash(a.params().get("code")));
                    return a;
                }, "invalid_grant", "the authorization code has expired"),
                Arguments.of("other registered redirect_uri", (Scenario) f -> with(valid(f, Pkce.fresh()), "redirect_uri",
                        GrantFixtures.OTHER_REDIRECT), "invalid_grant", "redirect_uri does not match the authorization request"),
                Arguments.of("no redirect_uri", (Scenario) f -> with(valid(f, Pkce.fresh()), "redirect_uri", null),
                        "invalid_grant", "redirect_uri does not match the authorization request"),
                Arguments.of("no code_verifier", (Scenario) f -> with(valid(f, Pkce.fresh()), "code_verifier", null),
                        "invalid_grant", "code_verifier is missing or does not match the code_challenge"),
                Arguments.of("another code_verifier", (Scenario) f -> with(valid(f, Pkce.fresh()), "code_verifier",
                        Pkce.fresh().verifier()), "invalid_grant", "code_verifier is missing or does not match the code_challenge"),
                Arguments.of("code_verifier without code_challenge", (Scenario) f -> with(valid(f, null), "code_verifier",
                        Pkce.fresh().verifier()), "invalid_grant", "code_verifier sent for a code issued without a code_challenge"),
                Arguments.of("grant revoked", (Scenario) f -> {
                    Attempt a = valid(f, Pkce.fresh());
                    f.sql("update oauth_grant set revoked_at = now() where id = (select grant_id from authorization_code"
                            + " where code_hash = ?1)", OpaqueTokens.hash(a.params().get("code")));
                    return a;
                }, "invalid_grant", "the grant is no longer valid"),
                Arguments.of("user disabled", (Scenario) f -> {
                    RegisteredClient client = f.webClient();
                    UUID user = f.user();
                    String code = f.code(f.grant(client, user, Set.of("openid")), GrantFixtures.REDIRECT, null);
                    f.disable(user);
                    return new Attempt(client, Map.of("grant_type", "authorization_code", "code", code,
                            "redirect_uri", GrantFixtures.REDIRECT));
                }, "invalid_grant", "the grant is no longer valid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String row, Scenario scenario, String code, String description) {
        Attempt a = scenario.prepare(fixtures);

        OAuthError e = GrantFixtures.refusal(handler, a.client(), a.params());

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.description()).isEqualTo(description);
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void redeemWhenRefusedThenTheCodeIsBurntAndItsSecondUseRevokesTheGrant() {
        Pkce pkce = Pkce.fresh();
        RegisteredClient client = fixtures.webClient();
        UUID grant = fixtures.grant(client, fixtures.user(), Set.of("openid"));
        String code = fixtures.code(grant, GrantFixtures.REDIRECT, pkce.challenge());
        Map<String, String> right = Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", GrantFixtures.REDIRECT, "code_verifier", pkce.verifier());
        Map<String, String> wrongVerifier = new HashMap<>(right);
        wrongVerifier.put("code_verifier", Pkce.fresh().verifier());

        GrantFixtures.refusal(handler, client, wrongVerifier);
        OAuthError replay = GrantFixtures.refusal(handler, client, right);

        assertThat(replay.description()).isEqualTo("the authorization code was already used; its tokens are revoked");
        assertThat(fixtures.revoked(grant)).isTrue();
    }

    @Test
    void redeemWhenEveryCheckPassesThenTokensWithAnIdToken() {
        Pkce pkce = Pkce.fresh();
        RegisteredClient client = fixtures.webClient();
        String code = fixtures.code(fixtures.grant(client, fixtures.user(), Set.of("openid")), GrantFixtures.REDIRECT,
                pkce.challenge());

        var tokens = handler.handle(client, new TokenRequest(Map.of("grant_type",
                "authorization_code", "code", code, "redirect_uri", GrantFixtures.REDIRECT, "code_verifier", pkce.verifier()),
                null, "127.0.0.1"));

        assertThat(tokens.accessToken()).isNotBlank();
        assertThat(tokens.idToken()).isNotBlank();
        assertThat(tokens.refreshToken()).isNotBlank();
        assertThat(tokens.scope()).isEqualTo("openid");
    }
}
