package com.meltano.auth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IssuerTest {

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080", "http://127.0.0.1:9000", "http://[::1]:8080", "https://auth.example.com",
        "https://auth.example.com/tenant" })
    void parseWhenAbsoluteWithoutQueryFragmentOrSlashThenKeptByteForByte(String raw) {
        assertThat(Issuer.parse(raw).value()).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = { "not a url", "/relative", "auth.example.com", "http://auth.example.com", "https://auth.example.com/",
        "https://auth.example.com?x=1", "https://auth.example.com#f", "ftp://auth.example.com", "https://user@auth.example.com" })
    void parseWhenMalformedOrHttpOnPublicHostThenRefused(String raw) {
        assertThatThrownBy(() -> Issuer.parse(raw)).isInstanceOf(IllegalArgumentException.class);
    }
}
