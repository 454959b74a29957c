package com.meltano.auth.oauth2.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7636 with S256 only, one row per case: the test vector of Appendix B and every way to miss it. */
class PkceTest {

    /** RFC 7636 Appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    static Stream<Arguments> verify() {
        return Stream.of(
                Arguments.of("RFC 7636 Appendix B", VERIFIER, CHALLENGE, true),
                Arguments.of("verifier one character off", VERIFIER.substring(0, 42) + "l", CHALLENGE, false),
                Arguments.of("plain method: verifier equals challenge", CHALLENGE, CHALLENGE, false),
                Arguments.of("challenge of another case", VERIFIER, CHALLENGE.toLowerCase(), false),
                Arguments.of("verifier too short (42)", VERIFIER.substring(0, 42), CHALLENGE, false),
                Arguments.of("verifier too long (129)", "a".repeat(129), CHALLENGE, false),
                Arguments.of("verifier with a character outside unreserved", VERIFIER.substring(0, 42) + "+", CHALLENGE, false),
                Arguments.of("verifier with a space", VERIFIER.substring(0, 42) + " ", CHALLENGE, false),
                Arguments.of("no verifier", null, CHALLENGE, false),
                Arguments.of("no challenge", VERIFIER, null, false),
                Arguments.of("padded challenge", VERIFIER, CHALLENGE + "=", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verify(String row, String verifier, String challenge, boolean expected) {
        assertThat(Pkce.verify(verifier, challenge)).isEqualTo(expected);
    }

    static Stream<Arguments> isValidChallenge() {
        return Stream.of(
                Arguments.of("base64url of a SHA-256", CHALLENGE, true),
                Arguments.of("42 characters", CHALLENGE.substring(1), false),
                Arguments.of("44 characters", CHALLENGE + "A", false),
                Arguments.of("padding", CHALLENGE.substring(1) + "=", false),
                Arguments.of("standard base64 alphabet", CHALLENGE.replace('-', '+'), false),
                Arguments.of("a verifier-length plain value", VERIFIER + "abc", false),
                Arguments.of("absent", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void isValidChallenge(String row, String challenge, boolean expected) {
        assertThat(Pkce.isValidChallenge(challenge)).isEqualTo(expected);
    }
}
