package com.meltano.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.SoftHsmTestResource;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * SPEC section 15 against a real PKCS#11 token (SoftHSM2): the signing keys are generated in the
 * token, sensitive and non-extractable, sign there, and verify against the JWKS; the database
 * keeps public keys, kids and labels only. ES256 for access tokens, so both algorithms the token
 * supports are exercised (RS256 signs ID tokens).
 */
@QuarkusTest
@TestProfile(HsmSigningKeysTest.InToken.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(value = SoftHsmTestResource.class, restrictToAnnotatedClass = true)
class HsmSigningKeysTest {

    public static class InToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a short staging period: on a database that already had software keys the token's key takes over within 1 s
            return Map.of("meltano.auth.signing-alg", "ES256", "meltano.auth.key-staging-period", "PT1S");
        }
    }

    @TestHTTPResource("/oauth2/jwks")
    URL jwks;

    @Inject
    DataSource dataSource;

    @Inject
    SigningKeys keys;

    @Inject
    TokenKeys tokenKeys;

    @Inject
    KeyRotation rotation;

    @Test
    void accessTokenWhenKeysInTokenThenSignedInTheTokenAndVerifiesAgainstJwks() throws Exception {
        awaitTokenKeysSigning();
        JWSObject token = JWSObject.parse(Api.adminToken());
        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(labelOf(token.getHeader().getKeyID())).as("the signing key is a token object").isNotNull();

        JWK jwk = JWKSet.load(jwks).getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(token.verify(new ECDSAVerifier((ECKey) jwk))).isTrue();
    }

    @Test
    void rs256WhenKeyInTokenThenSignatureVerifiesAgainstJwks() throws Exception {
        awaitTokenKeysSigning();
        SigningKey key = keys.active(SigningAlgorithm.RS256);
        assertThat(labelOf(key.kid())).isNotNull();
        JWSObject signed = JWSObject.parse(key.sign("JWT", "{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

        JWK jwk = JWKSet.load(jwks).getKeyByKeyId(key.kid());
        assertThat(signed.verify(new RSASSAVerifier((RSAKey) jwk))).isTrue();
    }

    @Test
    void privateKeysInTokenWhenListedByTheProviderThenSensitiveAndNotExtractable() throws Exception {
        awaitTokenKeysSigning();
        Pkcs11Token token = tokenKeys.token().orElseThrow();
        List<String> labels = tokenLabels();
        assertThat(labels).isNotEmpty();
        assertThat(token.privateKeyLabels()).containsAll(labels);
        for (String label : labels) {
            PrivateKey key = token.privateKey(label);
            assertThat(key.getEncoded()).as("the provider cannot export it").isNull();
            assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
        }
    }

    @Test
    void databaseWhenKeysInTokenThenHoldsNoPrivateKey() throws Exception {
        awaitTokenKeysSigning();
        assertThat(column("select kid from signing_key where private_key is not null and created_at >="
                + " (select min(created_at) from signing_key where pkcs11_label is not null)"))
                .as("private keys stored since the keys moved to the token").isEmpty();
        SigningKey rs256 = keys.active(SigningAlgorithm.RS256);
        SigningKey access = keys.accessTokenKey();
        assertThat(column("select coalesce(encode(private_key, 'hex'), '') || '|' || coalesce(kek_id, '') || '|' || pkcs11_label"
                + " from signing_key where kid in ('" + rs256.kid() + "', '" + access.kid() + "')"))
                .hasSize(2).allSatisfy(row -> assertThat(row).startsWith("||meltano-auth-"));
    }

    @Test
    void keyEncryptionKeyWhenTokenThenAesKeyInTheTokenWrapsWhatIsStored() throws Exception {
        Pkcs11Token token = tokenKeys.token().orElseThrow();
        KeyEncryptionKey kek = token.keyEncryptionKey(TokenKeys.KEK_LABEL);
        assertThat(kek.secretKey().getEncoded()).as("the provider cannot export it").isNull();
        assertThat(kek.secretKey().toString()).contains("AES", "token object", "sensitive", "unextractable");
        assertThat(column("select kek_id from secret_key union all select kek_id from signing_key where kek_id is not null"))
                .as("the software key-encryption key of the test resource became a previous key: all re-wrapped")
                .isNotEmpty().allSatisfy(id -> assertThat(id).isEqualTo(KeyEncryptionKey.TOKEN_ID_PREFIX + TokenKeys.KEK_LABEL));
    }

    @Test
    void retiredKeyWhenItsTokensHaveExpiredThenRowAndTokenObjectAreRemoved() throws Exception {
        Pkcs11Token token = tokenKeys.token().orElseThrow();
        String label = "meltano-auth-retired-test";
        java.security.PublicKey publicKey = token.generate(SigningAlgorithm.ES256, label);
        String kid = KeyMaterial.publicJwk(SigningAlgorithm.ES256, publicKey).get("kid");
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("insert into signing_key (kid, alg, status, public_key, public_jwk,"
                        + " pkcs11_label, activated_at, retired_at) values (?, 'ES256', 'retired', ?, '{}', ?,"
                        + " now() - interval '3 days', now() - interval '2 days')")) {
            st.setString(1, kid);
            st.setBytes(2, publicKey.getEncoded());
            st.setString(3, label);
            st.executeUpdate();
        }
        assertThat(token.privateKeyLabels()).contains(label);

        rotation.maintain();

        assertThat(column("select kid from signing_key where kid = '" + kid + "'")).isEmpty();
        assertThat(token.privateKeyLabels()).doesNotContain(label);
    }

    /** On a database that had software keys the token's keys are staged for 1 s; wait until they sign. */
    private void awaitTokenKeysSigning() throws Exception {
        Instant latest = Instant.EPOCH;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("select max(activates_at) from signing_key where pkcs11_label is not null");
                ResultSet rs = st.executeQuery()) {
            if (rs.next() && rs.getTimestamp(1) != null) {
                latest = rs.getTimestamp(1).toInstant();
            }
        }
        long wait = latest.toEpochMilli() - System.currentTimeMillis() + 50;
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private String labelOf(String kid) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("select pkcs11_label from signing_key where kid = ?")) {
            st.setString(1, kid);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private List<String> tokenLabels() throws Exception {
        return column("select pkcs11_label from signing_key where pkcs11_label is not null");
    }

    private List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
