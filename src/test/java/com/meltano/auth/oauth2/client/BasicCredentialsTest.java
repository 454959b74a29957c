package com.meltano.auth.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.meltano.auth.oauth2.OAuthError;

class BasicCredentialsTest {

    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parseBasicWhenFormEncodedThenDecodedAfterBase64() {
        // RFC 6749 section 2.3.1: "a:b" as id and "p+q%3A" as secret are sent form-encoded
        assertThat(ClientAuthenticator.parseBasic(basic("a%3Ab:p%2Bq%253A"))).containsExactly("a:b", "p+q%3A");
        assertThat(ClientAuthenticator.parseBasic(basic("svc.one:s3cr3t-_x"))).containsExactly("svc.one", "s3cr3t-_x");
    }

    @Test
    void parseBasicWhenSchemeInOtherCaseThenAccepted() {
        assertThat(ClientAuthenticator.parseBasic("basic " + Base64.getEncoder().encodeToString("id:pw".getBytes())))
                .containsExactly("id", "pw");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer abc", "Basic", "Basic !!!notbase64", "Basic bm8tY29sb24=", "Basic OnNlY3JldA==", "Digest x" })
    void parseBasicWhenMalformedThenInvalidClient(String header) {
        assertThatThrownBy(() -> ClientAuthenticator.parseBasic(header))
                .isInstanceOfSatisfying(OAuthError.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_client");
                    assertThat(e.status()).isEqualTo(401);
                });
    }
}
