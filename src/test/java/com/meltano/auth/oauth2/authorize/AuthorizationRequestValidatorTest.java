package com.meltano.auth.oauth2.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.oauth2.client.ClientCache;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.RegisteredClient;

/**
 * Every check of an authorization request, one row per rejection (RFC 6749 section 4.1.2.1, RFC
 * 7636 section 4.4.1, OIDC Core 3.1.2.1, SPEC section 4): which request, whether the error may go
 * back to the client (only once the client and its redirect URI are verified) and with which code.
 * Pure logic: the client cache is replaced by a fixed set of snapshots.
 */
class AuthorizationRequestValidatorTest {

    private static final String CB = "https://app.example.com/cb";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static final RegisteredClient WEB = client("web", GrantTypes.BASIC, true, GrantTypes.AUTHORIZATION_CODE);
    private static final RegisteredClient SPA = client("spa", GrantTypes.NONE, true, GrantTypes.AUTHORIZATION_CODE);
    private static final RegisteredClient OFF = client("off", GrantTypes.BASIC, false, GrantTypes.AUTHORIZATION_CODE);
    private static final RegisteredClient SERVICE = client("service", GrantTypes.BASIC, true, GrantTypes.CLIENT_CREDENTIALS);

    private final AuthorizationRequestValidator validator = new AuthorizationRequestValidator();

    AuthorizationRequestValidatorTest() {
        validator.clients = new ClientCache() {
            @Override
            public Optional<RegisteredClient> find(String clientId) {
                return Stream.of(WEB, SPA, OFF, SERVICE).filter(c -> c.clientId().equals(clientId)).findFirst();
            }
        };
    }

    /** Rejections shown as a page: nothing about the client or its redirect URI can be trusted yet. */
    static Stream<Arguments> page() {
        return Stream.of(
                Arguments.of("no client_id", without(valid("web"), "client_id"), "client_id is missing"),
                Arguments.of("empty client_id", with(valid("web"), "client_id", ""), "client_id is missing"),
                Arguments.of("client_id repeated", with(valid("web"), "client_id", "web", "spa"), "repeats client_id"),
                Arguments.of("unknown client", with(valid("web"), "client_id", "nobody"), "is not registered"),
                Arguments.of("disabled client", valid("off"), "is disabled"),
                Arguments.of("no redirect_uri", without(valid("web"), "redirect_uri"), "redirect_uri is missing"),
                Arguments.of("redirect_uri repeated", with(valid("web"), "redirect_uri", CB, CB), "repeats redirect_uri"),
                Arguments.of("unregistered redirect_uri", with(valid("web"), "redirect_uri", "https://evil.example/cb"),
                        "return address is not registered"),
                Arguments.of("redirect_uri prefix", with(valid("web"), "redirect_uri", CB + "/x"),
                        "return address is not registered"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void page(String row, Map<String, List<String>> params, String message) {
        assertThatThrownBy(() -> validator.validate(params)).isInstanceOfSatisfying(AuthorizationError.class, e -> {
            assertThat(e.redirectUri()).as("never redirected").isNull();
            assertThat(e.getMessage()).contains(message);
        });
    }

    /** Rejections sent back to the verified redirect URI with {@code state}. */
    static Stream<Arguments> redirect() {
        return Stream.of(
                Arguments.of("a parameter repeated", with(valid("web"), "scope", "openid", "email"), "invalid_request"),
                Arguments.of("response_mode form_post", with(valid("web"), "response_mode", "form_post"), "invalid_request"),
                Arguments.of("response_mode fragment", with(valid("web"), "response_mode", "fragment"), "invalid_request"),
                Arguments.of("request object", with(valid("web"), "request", "eyJ.e30."), "request_not_supported"),
                Arguments.of("request_uri", with(valid("web"), "request_uri", "https://x/r"), "request_uri_not_supported"),
                Arguments.of("no response_type", without(valid("web"), "response_type"), "invalid_request"),
                Arguments.of("implicit", with(valid("web"), "response_type", "token"), "unsupported_response_type"),
                Arguments.of("hybrid", with(valid("web"), "response_type", "code id_token"), "unsupported_response_type"),
                Arguments.of("client without the code grant", valid("service"), "unauthorized_client"),
                Arguments.of("scope with a forbidden character", with(valid("web"), "scope", "open\"id"), "invalid_scope"),
                Arguments.of("known scope not registered", with(valid("web"), "scope", "openid admin"), "invalid_scope"),
                Arguments.of("method without challenge", without(valid("web"), "code_challenge"), "invalid_request"),
                Arguments.of("public client without PKCE", without(without(valid("spa"), "code_challenge"), "code_challenge_method"),
                        "invalid_request"),
                Arguments.of("plain method", with(valid("web"), "code_challenge_method", "plain"), "invalid_request"),
                Arguments.of("challenge without method", without(valid("web"), "code_challenge_method"), "invalid_request"),
                Arguments.of("challenge too short", with(valid("web"), "code_challenge", CHALLENGE.substring(1)), "invalid_request"),
                Arguments.of("prompt unknown", with(valid("web"), "prompt", "select_account"), "invalid_request"),
                Arguments.of("prompt none with another", with(valid("web"), "prompt", "none login"), "invalid_request"),
                Arguments.of("max_age not a number", with(valid("web"), "max_age", "soon"), "invalid_request"),
                Arguments.of("max_age negative", with(valid("web"), "max_age", "-1"), "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void redirect(String row, Map<String, List<String>> params, String code) {
        assertThatThrownBy(() -> validator.validate(params)).isInstanceOfSatisfying(AuthorizationError.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.redirectUri()).isEqualTo(CB);
            assertThat(e.state()).isEqualTo("xyz");
        });
    }

    @Test
    void validateWhenEveryCheckPassesThenTheRequestAsValidated() {
        AuthorizationRequest r = validator.validate(with(with(with(valid("spa"), "scope", "email openid unknown"),
                "max_age", "0"), "prompt", "login consent"));

        assertThat(r.clientId()).isEqualTo("spa");
        assertThat(r.redirectUri()).isEqualTo(CB);
        assertThat(r.scopes()).containsExactly("email", "openid");
        assertThat(r.state()).isEqualTo("xyz");
        assertThat(r.nonce()).isEqualTo("n-1");
        assertThat(r.codeChallenge()).isEqualTo(CHALLENGE);
        assertThat(r.maxAge()).isZero();
        assertThat(r.promptLogin()).isFalse(); // "login consent" is not exactly "login"
    }

    @Test
    void validateWhenAnUnrecognizedParameterIsRepeatedThenIgnoredAndResponseModeQueryAccepted() {
        AuthorizationRequest r = validator.validate(with(with(valid("web"), "resource", "https://a.example", "https://b.example"),
                "response_mode", "query"));

        assertThat(r.clientId()).isEqualTo("web");
        assertThat(r.state()).isEqualTo("xyz");
    }

    @Test
    void validateWhenConfidentialClientWithoutPkceAndNoScopeThenAllowedWithTheClientsScopes() {
        AuthorizationRequest r = validator.validate(without(without(valid("web"), "code_challenge"), "code_challenge_method"));

        assertThat(r.codeChallenge()).isNull();
        assertThat(r.scopes()).containsExactly("openid", "profile", "email");
    }

    @Test
    void validateWhenLoginHintLongerThanAnyEmailThenDroppedNotRefused() {
        assertThat(validator.validate(with(valid("web"), "login_hint", "a".repeat(255))).loginHint()).isNull();
        assertThat(validator.validate(with(valid("web"), "login_hint", "ada@example.com")).loginHint()).isEqualTo("ada@example.com");
    }

    private static RegisteredClient client(String id, String authMethod, boolean enabled, String grantType) {
        return new RegisteredClient(id, id, null, authMethod, Set.of(grantType), new LinkedHashSet<>(
                List.of("openid", "profile", "email")), List.of(CB), false, true, enabled, null, false, null);
    }

    /** A request that passes every check for the client. */
    private static Map<String, List<String>> valid(String clientId) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("client_id", List.of(clientId));
        p.put("redirect_uri", List.of(CB));
        p.put("response_type", List.of("code"));
        p.put("state", List.of("xyz"));
        p.put("nonce", List.of("n-1"));
        p.put("code_challenge", List.of(CHALLENGE));
        p.put("code_challenge_method", List.of("S256"));
        return p;
    }

    private static Map<String, List<String>> with(Map<String, List<String>> params, String name, String... values) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put(name, new ArrayList<>(Arrays.asList(values)));
        return p;
    }

    private static Map<String, List<String>> without(Map<String, List<String>> params, String name) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.remove(name);
        return p;
    }
}
