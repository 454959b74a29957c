package com.meltano.auth.oauth2.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 4 "Redirect URIs", one row per case: exact comparison (RFC 9700 section 4.1.3), the
 * port free only on the loopback IP literals (RFC 8252 section 7.3).
 */
class RedirectUriMatcherTest {

    static Stream<Arguments> match() {
        return Stream.of(
                Arguments.of("exact https", "https://app.example.com/cb", "https://app.example.com/cb", true),
                Arguments.of("exact private-use scheme", "com.example.app:/cb", "com.example.app:/cb", true),
                Arguments.of("loopback IPv4, another port", "http://127.0.0.1:5000/cb", "http://127.0.0.1:61234/cb", true),
                Arguments.of("loopback IPv4, port added", "http://127.0.0.1/cb", "http://127.0.0.1:61234/cb", true),
                Arguments.of("loopback IPv6, another port", "http://[::1]:5000/cb", "http://[::1]:49152/cb", true),
                Arguments.of("loopback, same query", "http://127.0.0.1:1/cb?a=1", "http://127.0.0.1:2/cb?a=1", true),
                // refused
                Arguments.of("prefix", "https://app.example.com/cb", "https://app.example.com/cb/more", false),
                Arguments.of("extra query", "https://app.example.com/cb", "https://app.example.com/cb?x=1", false),
                Arguments.of("fragment", "https://app.example.com/cb", "https://app.example.com/cb#x", false),
                Arguments.of("host case differs", "https://app.example.com/cb", "https://APP.example.com/cb", false),
                Arguments.of("path case differs", "https://app.example.com/cb", "https://app.example.com/CB", false),
                Arguments.of("trailing slash", "https://app.example.com/cb", "https://app.example.com/cb/", false),
                Arguments.of("percent-encoded path", "https://app.example.com/cb", "https://app.example.com/%63b", false),
                Arguments.of("https port varies", "https://app.example.com:8443/cb", "https://app.example.com:9443/cb", false),
                Arguments.of("localhost port varies", "http://localhost:5000/cb", "http://localhost:5001/cb", false),
                Arguments.of("loopback, other path", "http://127.0.0.1:5000/cb", "http://127.0.0.1:5001/other", false),
                Arguments.of("loopback, other query", "http://127.0.0.1:1/cb?a=1", "http://127.0.0.1:2/cb?a=2", false),
                Arguments.of("loopback, fragment", "http://127.0.0.1:5000/cb", "http://127.0.0.1:5001/cb#x", false),
                Arguments.of("loopback, user info", "http://127.0.0.1:5000/cb", "http://evil@127.0.0.1:5001/cb", false),
                Arguments.of("loopback, other loopback host", "http://127.0.0.1:5000/cb", "http://[::1]:5000/cb", false),
                Arguments.of("loopback, https", "http://127.0.0.1:5000/cb", "https://127.0.0.1:5001/cb", false),
                Arguments.of("not a URI", "http://127.0.0.1:5000/cb", "http://127.0.0.1:5001/c b", false),
                Arguments.of("absent", "https://app.example.com/cb", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void match(String row, String registered, String requested, boolean matches) {
        assertThat(RedirectUriMatcher.match(List.of("https://other.example.com/cb", registered), requested))
                .isEqualTo(matches ? Optional.of(requested) : Optional.empty());
    }
}
