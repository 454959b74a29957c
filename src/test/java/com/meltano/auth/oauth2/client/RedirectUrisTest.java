package com.meltano.auth.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example.com/cb", "https://app.example.com:8443/cb?x=1", "http://127.0.0.1/cb",
        "http://127.0.0.1:51004/cb", "http://[::1]:8080/cb", "http://localhost:3000/cb", "com.example.app:/cb",
        "com.example.app:/oauth2redirect" })
    void registerWhenHttpsLoopbackOrPrivateUseSchemeThenAccepted(String uri) {
        assertThat(RedirectUris.violation(uri)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://example.com/cb", "http://app.example.com:80/cb", "https://app.example.com/cb#frag",
        "https://*.example.com/cb", "https://app.example.com/*", "myapp:/cb", "/relative/cb", "", " ",
        "https://user:pw@app.example.com/cb", "http://localhost.evil.com/cb", "http://127.0.0.1@evil.com/cb",
        "javascript:alert(1)", "https://app.example.com:99999/cb", "http://127.0.0.1:65536/cb" })
    void registerWhenHttpPublicFragmentWildcardOrDotlessSchemeThenRefused(String uri) {
        assertThat(RedirectUris.violation(uri)).isPresent();
    }
}
