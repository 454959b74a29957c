package com.meltano.auth.oauth2.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code MELTANO_AUTH_SIGNING_ALG=EdDSA}: access tokens are signed with Ed25519 (SPEC section 3, RFC 8037). */
@QuarkusTest
@TestProfile(SigningAlgEdDsaTest.EdDsa.class)
@QuarkusTestResource(PostgresTestResource.class)
class SigningAlgEdDsaTest {

    public static class EdDsa implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meltano.auth.signing-alg", "EdDSA");
        }
    }

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Test
    void tokenWhenSigningAlgEdDsaThenHeaderEdDsaAndVerifiesAgainstPublishedEd25519Key() throws Exception {
        Client c = TokenFixtures.serviceClient(); // the admin API accepted the bootstrap client's EdDSA token

        String token = Api.token(c.id(), c.secret(), null);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWTClaimsSet claims = IndependentVerifier.processor(jwks, JWSAlgorithm.EdDSA, "http://localhost:8080").process(token, null);
        assertThat(claims.getSubject()).isEqualTo(c.id());
        assertThat(jwt.getPayload().toString()).contains("\"aud\":[\"meltano\"]");
        JWK key = JWKSet.parse(given().get("/oauth2/jwks").asString()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isInstanceOf(OctetKeyPair.class);
        assertThat(key.getKeyType()).isEqualTo(KeyType.OKP);
        assertThat(((OctetKeyPair) key).getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(key.isPrivate()).isFalse();
    }

    @Test
    void tokenWhenSignatureAlteredThenIndependentVerifierRejects() throws Exception {
        Client c = TokenFixtures.serviceClient();
        String token = Api.token(c.id(), c.secret(), null);
        // flip one bit of S (bytes 32..63, little-endian): the JDK Ed25519 check used for EdDSA must really verify
        String[] parts = token.split("\\.");
        byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[2]);
        sig[40] ^= 1;
        String altered = parts[0] + "." + parts[1] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> IndependentVerifier.processor(jwks, JWSAlgorithm.EdDSA, "http://localhost:8080").process(altered, null))
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);
    }

    @Test
    void jwksWhenSigningAlgEdDsaThenStillPublishesRs256KeyForIdTokens() throws Exception {
        List<JWK> keys = JWKSet.parse(given().get("/oauth2/jwks").asString()).getKeys();

        assertThat(keys).anyMatch(k -> k.getKeyType() == KeyType.RSA && JWSAlgorithm.RS256.equals(k.getAlgorithm()));
        assertThat(keys).anyMatch(k -> k.getKeyType() == KeyType.OKP && JWSAlgorithm.EdDSA.equals(k.getAlgorithm()));
        assertThat(keys).noneMatch(JWK::isPrivate);
    }
}
