package com.meltano.auth.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 4 "Scopes", one row per case: which rule, what the client (or grant) holds, what was
 * asked ({@code null}: no scope parameter), and the scopes granted in order or the invalid_scope
 * description. The same rows hold for the three callers because they call these rules.
 */
class ScopePolicyTest {

    private static final Set<String> WEB = ordered("openid", "profile", "email", "offline_access");
    private static final Set<String> ALL = ordered("openid", "profile", "email", "offline_access", "admin");
    private static final Set<String> SERVICE = ordered("admin");

    enum Rule {
        AUTHORIZATION((held, asked) -> ScopePolicy.forAuthorization(held, asked)),
        CLIENT_CREDENTIALS((held, asked) -> ScopePolicy.forClientCredentials(held, false, asked)),
        CLIENT_CREDENTIALS_ADMIN_API((held, asked) -> ScopePolicy.forClientCredentials(held, true, asked)),
        REFRESH((held, asked) -> ScopePolicy.forRefresh(held, asked));

        final BiFunction<Set<String>, Set<String>, Set<String>> apply;

        Rule(BiFunction<Set<String>, Set<String>, Set<String>> apply) {
            this.apply = apply;
        }
    }

    static Stream<Arguments> granted() {
        return Stream.of(
                // authorization request
                Arguments.of(Rule.AUTHORIZATION, WEB, null, List.of("openid", "profile", "email", "offline_access")),
                Arguments.of(Rule.AUTHORIZATION, WEB, "", List.of()),
                Arguments.of(Rule.AUTHORIZATION, WEB, "email openid", List.of("email", "openid")),
                Arguments.of(Rule.AUTHORIZATION, WEB, "openid unknown read:all", List.of("openid")),
                Arguments.of(Rule.AUTHORIZATION, WEB, "openid  openid", List.of("openid")),
                Arguments.of(Rule.AUTHORIZATION, ALL, "admin", List.of("admin")),
                // client_credentials: never a scope about a person, admin only with the admin API
                Arguments.of(Rule.CLIENT_CREDENTIALS, ALL, null, List.of()),
                Arguments.of(Rule.CLIENT_CREDENTIALS_ADMIN_API, ALL, null, List.of("admin")),
                Arguments.of(Rule.CLIENT_CREDENTIALS_ADMIN_API, SERVICE, "admin", List.of("admin")),
                Arguments.of(Rule.CLIENT_CREDENTIALS_ADMIN_API, SERVICE, "admin nonsense", List.of("admin")),
                Arguments.of(Rule.CLIENT_CREDENTIALS, SERVICE, "nonsense", List.of()),
                // refresh: the grant's scopes by default, narrowing allowed, unknown dropped
                Arguments.of(Rule.REFRESH, WEB, null, List.of("openid", "profile", "email", "offline_access")),
                Arguments.of(Rule.REFRESH, WEB, "openid", List.of("openid")),
                Arguments.of(Rule.REFRESH, WEB, "openid unknown", List.of("openid")),
                Arguments.of(Rule.REFRESH, WEB, "", List.of()));
    }

    @ParameterizedTest(name = "{0} holding {1} asked {2} -> {3}")
    @MethodSource
    void granted(Rule rule, Set<String> held, String asked, List<String> expected) {
        assertThat(rule.apply.apply(held, ScopePolicy.requested(asked))).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Rule.AUTHORIZATION, WEB, "openid admin", "scope not allowed for this client: admin"),
                Arguments.of(Rule.AUTHORIZATION, ordered("openid"), "openid email", "scope not allowed for this client: email"),
                Arguments.of(Rule.CLIENT_CREDENTIALS, ALL, "openid",
                        "scope not allowed for this client with client_credentials: openid"),
                Arguments.of(Rule.CLIENT_CREDENTIALS, ALL, "profile",
                        "scope not allowed for this client with client_credentials: profile"),
                Arguments.of(Rule.CLIENT_CREDENTIALS, ALL, "email",
                        "scope not allowed for this client with client_credentials: email"),
                Arguments.of(Rule.CLIENT_CREDENTIALS_ADMIN_API, ALL, "offline_access",
                        "scope not allowed for this client with client_credentials: offline_access"),
                Arguments.of(Rule.CLIENT_CREDENTIALS, SERVICE, "admin",
                        "scope not allowed for this client with client_credentials: admin"),
                Arguments.of(Rule.CLIENT_CREDENTIALS_ADMIN_API, ordered(), "admin",
                        "scope not allowed for this client with client_credentials: admin"),
                Arguments.of(Rule.REFRESH, ordered("openid"), "openid email", "a refresh may narrow the scope, never widen it"),
                Arguments.of(Rule.REFRESH, ordered("openid", "profile"), "admin", "a refresh may narrow the scope, never widen it"));
    }

    @ParameterizedTest(name = "{0} holding {1} asked {2} -> invalid_scope")
    @MethodSource
    void refused(Rule rule, Set<String> held, String asked, String description) {
        assertThatThrownBy(() -> rule.apply.apply(held, ScopePolicy.requested(asked)))
                .isInstanceOfSatisfying(OAuthError.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_scope");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.description()).isEqualTo(description);
                });
    }

    @ParameterizedTest(name = "scope={0} -> invalid_scope")
    @MethodSource
    void requestedWhenCharacterOutsideRfc6749Section33ThenInvalidScope(String parameter) {
        assertThatThrownBy(() -> ScopePolicy.requested(parameter))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.code()).isEqualTo("invalid_scope"));
    }

    static Stream<String> requestedWhenCharacterOutsideRfc6749Section33ThenInvalidScope() {
        return Stream.of("open\"id", "openid back\\slash", "caf\u00e9", "tab\there", "new\nline");
    }

    private static Set<String> ordered(String... scopes) {
        return new LinkedHashSet<>(List.of(scopes));
    }
}
