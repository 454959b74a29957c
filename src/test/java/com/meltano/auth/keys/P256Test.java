package com.meltano.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;

import com.meltano.auth.config.SigningAlgorithm;

class P256Test {

    @Test
    void signWhenManyTokensThenEveryOneVerifiesWithTheJdkAndNimbus() throws Exception {
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.ES256);
        SigningKey key = softwareKey(pair.getPrivate().getEncoded(), pair.getPublic());
        ECDSAVerifier nimbus = new ECDSAVerifier((ECPublicKey) pair.getPublic());

        // r or s below 2^248 (one signature in 128) must still be written as 32 bytes each
        for (int i = 0; i < 1500; i++) {
            String jws = key.sign("at+jwt", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            String[] parts = jws.split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            assertThat(signature).hasSize(64);
            assertThat(jdkVerifies(pair.getPublic(), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)).isTrue();
            assertThat(JWSObject.parse(jws).verify(nimbus)).isTrue();
        }
    }

    @Test
    void signWhenKeyWasMadeByBouncyCastlesProviderThenStoredKeyStillSigns() throws Exception {
        // ES256 keys stored before this class were generated and PKCS#8-encoded by Bouncy Castle's provider
        KeyPairGenerator bc = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        bc.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = bc.generateKeyPair();
        PublicKey publicKey = KeyMaterial.decodePublic(SigningAlgorithm.ES256, pair.getPublic().getEncoded());

        SigningKey key = softwareKey(pair.getPrivate().getEncoded(), publicKey);
        String jws = key.sign("JWT", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(JWSObject.parse(jws).verify(new ECDSAVerifier((ECPublicKey) publicKey))).isTrue();
    }

    @Test
    void signWhenManySignaturesThenEachIsRAndSOf32BytesThatTheJdkVerifies() throws Exception {
        // the portable signer, used where AWS-LC cannot load (SigningKey signs through it elsewhere)
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.ES256);
        P256 signer = new P256((ECPrivateKey) pair.getPrivate());

        for (int i = 0; i < 1500; i++) {
            byte[] input = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            byte[] signature = signer.sign(input);
            assertThat(signature).hasSize(64);
            assertThat(jdkVerifies(pair.getPublic(), input, signature)).isTrue();
        }
    }

    @Test
    void newWhenKeyIsOnAnotherCurveThenRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));

        assertThatThrownBy(() -> new P256((ECPrivateKey) g.generateKeyPair().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an ES256 key that is not on P-256");
    }

    private static SigningKey softwareKey(byte[] pkcs8, PublicKey publicKey) throws Exception {
        Map<String, String> jwk = KeyMaterial.publicJwk(SigningAlgorithm.ES256, publicKey);
        return new SigningKey(jwk.get("kid"), SigningAlgorithm.ES256, SigningKey.Status.ACTIVE, null, Instant.now(),
                KeyMaterial.decodePrivate(SigningAlgorithm.ES256, pkcs8), publicKey, jwk);
    }

    private static boolean jdkVerifies(PublicKey key, byte[] input, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update(input);
        return verifier.verify(signature);
    }
}
