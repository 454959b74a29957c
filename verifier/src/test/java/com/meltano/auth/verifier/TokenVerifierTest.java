package com.meltano.auth.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.nimbusds.jose.util.JSONObjectUtils;

/** The offline verifier against an issuer on a loopback port (SPEC sections 7 and 8, issue 5). */
class TokenVerifierTest {

    private TestIssuer issuer;
    private TestIssuer.Key rsa;
    private TokenVerifier verifier;

    @BeforeEach
    void issuer() throws Exception {
        issuer = new TestIssuer();
        rsa = issuer.newKey("RS256", true);
        verifier = TokenVerifier.forIssuer(issuer.issuer).build();
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void validTokenOfEachAlgorithmThenClaimsAndPermissions(String alg) throws Exception {
        TestIssuer.Key key = issuer.newKey(alg, true);

        VerifiedToken t = verifier.verify(issuer.sign(key, issuer.claims()));

        assertThat(t.subject()).isEqualTo("4b0c6f5e-0000-4000-8000-000000000001");
        assertThat(t.clientId()).isEqualTo("meltano-ui");
        assertThat(t.scopes()).containsExactly("openid", "profile");
        assertThat(t.roles()).containsExactly("analyst");
        assertThat(t.allows("view:design", "finance.q1.revenue")).isTrue();
        assertThat(t.allows("view:design", "marketing.x")).isFalse();
        assertThat(t.allows("view:reports", "anything")).isTrue();
        assertThat(t.allows("modify:acl", "finance.x")).isFalse();
    }

    @Test
    void typApplicationAtJwtAndAudienceAsStringAccepted() throws Exception {
        Map<String, Object> h = issuer.header(rsa);
        h.put("typ", "application/at+jwt");
        Map<String, Object> c = issuer.claims();
        c.put("aud", "meltano");

        assertThat(verifier.verify(TestIssuer.sign(rsa, h, c)).subject()).isNotNull();
    }

    @Test
    void algNoneRefused() throws Exception {
        Map<String, Object> h = issuer.header(rsa);
        h.put("alg", "none");
        String token = TestIssuer.b64(JSONObjectUtils.toJSONString(h)) + "." + TestIssuer.b64(JSONObjectUtils.toJSONString(issuer.claims())) + ".";

        assertRefused(token, "");
    }

    @Test
    void hs256SignedWithThePublicKeyAsSecretRefused() throws Exception {
        Map<String, Object> h = issuer.header(rsa);
        h.put("alg", "HS256");
        String input = TestIssuer.b64(JSONObjectUtils.toJSONString(h)) + "." + TestIssuer.b64(JSONObjectUtils.toJSONString(issuer.claims()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(rsa.publicJwk().toJSONString().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

        assertRefused(token, "algorithm");
    }

    @Test
    void embeddedJwkOrJkuHeaderRefusedEvenWithAValidSignatureByThatKey() throws Exception {
        TestIssuer.Key attacker = issuer.newKey("RS256", false);
        Map<String, Object> withJwk = issuer.header(attacker);
        withJwk.put("jwk", attacker.publicJwk().toJSONObject());
        Map<String, Object> withJku = issuer.header(attacker);
        withJku.put("jku", "https://attacker.example/jwks");

        assertRefused(TestIssuer.sign(attacker, withJwk, issuer.claims()), "jwk");
        assertRefused(TestIssuer.sign(attacker, withJku, issuer.claims()), "jku");
    }

    @Test
    void unknownKidThenOneRefetchThenRefusedAndNoSecondRefetchWithinCooldown() throws Exception {
        verifier.verify(issuer.sign(rsa, issuer.claims())); // keys loaded
        int fetches = issuer.jwksFetches.get();
        TestIssuer.Key stranger = issuer.newKey("RS256", false);

        assertRefused(issuer.sign(stranger, issuer.claims()), "unknown signing key");
        assertThat(issuer.jwksFetches.get()).as("one refetch for the unknown kid").isEqualTo(fetches + 1);
        assertRefused(issuer.sign(stranger, issuer.claims()), "unknown signing key");
        assertThat(issuer.jwksFetches.get()).as("none more within the cooldown").isEqualTo(fetches + 1);
    }

    @Test
    void keyPublishedAfterRotationFoundByTheRefetchOfItsUnknownKid() throws Exception {
        verifier.verify(issuer.sign(rsa, issuer.claims()));
        TestIssuer.Key next = issuer.newKey("ES256", true); // staged, then active at the issuer

        assertThat(verifier.verify(issuer.sign(next, issuer.claims())).subject()).isNotNull();
        assertThat(verifier.verify(issuer.sign(rsa, issuer.claims())).subject()).as("the retired key still verifies").isNotNull();
    }

    @Test
    void stagedKeyLearnedByTheRegularRefreshBeforeItSignsSoNoUnknownKid() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        TokenVerifier v = TokenVerifier.forIssuer(issuer.issuer).jwksRefresh(Duration.ofMinutes(5)).clock(clock).build();
        v.verify(issuer.sign(rsa, issuer.claims()));
        TestIssuer.Key staged = issuer.newKey("RS256", true); // published, not signing yet (staging period 10 min)
        clock.now = clock.now.plus(Duration.ofMinutes(6));    // the verifier's refresh falls inside the staging period
        Map<String, Object> c = issuer.claims();
        c.put("exp", clock.now.plusSeconds(300).getEpochSecond());
        v.verify(issuer.sign(rsa, c));                         // a token of the current key: refreshes the JWKS
        int fetches = issuer.jwksFetches.get();
        clock.now = clock.now.plus(Duration.ofMinutes(4));    // the staged key becomes active and signs
        c.put("exp", clock.now.plusSeconds(300).getEpochSecond());

        assertThat(v.verify(issuer.sign(staged, c)).subject()).isNotNull();
        assertThat(issuer.jwksFetches.get()).as("the new kid was already known: no refetch").isEqualTo(fetches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "x' or '1'='1", "a/b", "kid with spaces", ""})
    void kidWithPathOrSqlCharactersRefusedBeforeAnyLookup(String kid) throws Exception {
        Map<String, Object> h = issuer.header(rsa);
        h.put("kid", kid);
        int fetches = issuer.jwksFetches.get();

        assertRefused(TestIssuer.sign(rsa, h, issuer.claims()), "kid");
        assertThat(issuer.jwksFetches.get()).isEqualTo(fetches);
    }

    @Test
    void wrongIssuerMissingAudienceOrExpiredRefused() throws Exception {
        Map<String, Object> otherIss = issuer.claims();
        otherIss.put("iss", issuer.issuer + "/other");
        Map<String, Object> noAud = issuer.claims();
        noAud.remove("aud");
        Map<String, Object> otherAud = issuer.claims();
        otherAud.put("aud", List.of("someone-else"));
        Map<String, Object> expired = issuer.claims();
        expired.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        Map<String, Object> notYet = issuer.claims();
        notYet.put("nbf", Instant.now().plusSeconds(600).getEpochSecond());

        assertRefused(issuer.sign(rsa, otherIss), "issuer");
        assertRefused(issuer.sign(rsa, noAud), "audience");
        assertRefused(issuer.sign(rsa, otherAud), "audience");
        assertRefused(issuer.sign(rsa, expired), "expired");
        assertRefused(issuer.sign(rsa, notYet), "not valid yet");
    }

    @Test
    void idTokenPresentedAsAccessTokenRefused() throws Exception {
        Map<String, Object> h = issuer.header(rsa);
        h.put("typ", "JWT");
        Map<String, Object> idClaims = issuer.claims();
        idClaims.put("aud", List.of("meltano-ui"));
        idClaims.put("nonce", "n");

        assertRefused(TestIssuer.sign(rsa, h, idClaims), "typ");
    }

    @Test
    void es256WithRAndSZeroRefused() throws Exception {
        TestIssuer.Key ec = issuer.newKey("ES256", true);
        String valid = issuer.sign(ec, issuer.claims());
        String psychic = valid.substring(0, valid.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);

        assertRefused(psychic, "invalid signature");
    }

    @Test
    void tamperedClaimsRefused() throws Exception {
        String valid = issuer.sign(rsa, issuer.claims());
        Map<String, Object> more = issuer.claims();
        more.put("permissions", Map.of("*", List.of("*")));
        String[] parts = valid.split("\\.");
        String forged = parts[0] + "." + TestIssuer.b64(JSONObjectUtils.toJSONString(more)) + "." + parts[2];

        assertRefused(forged, "invalid signature");
    }

    @Test
    void issuerDownThenKnownKeysKeepWorking() throws Exception {
        verifier.verify(issuer.sign(rsa, issuer.claims()));
        String later = issuer.sign(rsa, issuer.claims());
        issuer.stop();

        assertThat(verifier.verify(later).subject()).isNotNull();
    }

    @Test
    void staleKeysStillServeWhileTheIssuerIsDown() throws Exception {
        Clock start = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        MutableClock clock = new MutableClock(start.instant());
        TokenVerifier v = TokenVerifier.forIssuer(issuer.issuer).jwksRefresh(Duration.ofMinutes(5)).clock(clock).build();
        v.verify(issuer.sign(rsa, issuer.claims()));
        issuer.stop();
        clock.now = clock.now.plus(Duration.ofMinutes(6)); // past the refresh interval

        Map<String, Object> c = issuer.claims();
        c.put("exp", clock.now.plusSeconds(300).getEpochSecond());
        assertThat(v.verify(issuer.sign(rsa, c)).subject()).isNotNull();
    }

    @Test
    void cachedTokenVerifiedAgainWithoutTheIssuerAndRefusedOnceExpired() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        TokenVerifier v = TokenVerifier.forIssuer(issuer.issuer).clock(clock).clockSkew(Duration.ZERO).build();
        String token = issuer.sign(rsa, issuer.claims());
        VerifiedToken first = v.verify(token);
        issuer.stop();

        assertThat(v.verify(token)).isSameAs(first);
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThatThrownBy(() -> v.verify(token)).isInstanceOf(TokenVerificationException.class).hasMessageContaining("expired");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "....", "e30.e30."})
    void garbageRefused(String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenVerificationException.class);
    }

    @Test
    void algorithmsOutsideTheSupportedSetCannotBeAllowed() {
        assertThatThrownBy(() -> TokenVerifier.forIssuer(issuer.issuer).algorithms(java.util.Set.of("HS256")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenVerifier.forIssuer(issuer.issuer).algorithms(java.util.Set.of("none")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenVerificationException.class)
                .hasMessageContaining(reason).message().doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
